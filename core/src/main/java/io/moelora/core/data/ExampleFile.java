package io.moelora.core.data;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads LLM-Adapters example files: a JSON array of objects with string {@code instruction},
 * optional {@code input}, and {@code output}; other fields are ignored. A bad file fails with the
 * file, the item index and the field.
 */
public final class ExampleFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExampleFile() {}

    public static List<InstructionExample> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of examples");
        }
        List<InstructionExample> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            if (!item.isObject()) {
                throw new IllegalArgumentException(file + ": item " + i + " is not an object");
            }
            String instruction = text(file, i, item, "instruction", true);
            String input = text(file, i, item, "input", false);
            String output = text(file, i, item, "output", true);
            if (instruction.isEmpty()) {
                throw new IllegalArgumentException(file + ": item " + i + ": field 'instruction' is empty");
            }
            out.add(new InstructionExample(instruction, input, output));
        }
        return out;
    }

    private static String text(Path file, int i, JsonNode item, String field, boolean required) {
        JsonNode n = item.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException(file + ": item " + i + ": missing field '" + field + "'");
            }
            return "";
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(file + ": item " + i + ": field '" + field + "' must be a string, got "
                    + n.getNodeType().name().toLowerCase());
        }
        return n.asText();
    }
}
