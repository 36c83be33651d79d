package io.moelora.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads predictions files: JSON Lines, one {@code {"index": i, "response": "raw generated text"}} per
 * line ({@code index} a non-negative integer, 0-based into the test file; other fields ignored; blank
 * lines skipped). Errors name the file and the line. Whether the indices cover the suite is checked by
 * {@link Scorer}.
 */
public final class GenerationsFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private GenerationsFile() {}

    public static List<Generation> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Generation> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(lines.get(i), file + ": line " + (i + 1) + ": "));
            }
        }
        return out;
    }

    private static Generation parse(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + "not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + "expected a JSON object with index and response");
        }
        JsonNode index = node.get("index");
        if (index == null || !index.isIntegralNumber() || !index.canConvertToInt() || index.intValue() < 0) {
            throw new IllegalArgumentException(where + "field 'index' must be a non-negative integer, got " + index);
        }
        JsonNode response = node.get("response");
        if (response == null || !response.isTextual()) {
            throw new IllegalArgumentException(where + "field 'response' must be a string, got " + response);
        }
        return new Generation(index.intValue(), response.asText());
    }
}
