package io.moelora.core.eval;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a suite's {@code <data-dir>/<directory>/test.json} and checks it strictly, because a silently
 * mangled item changes a published number: a JSON array of objects; {@code instruction} and
 * {@code answer} strings; {@code input} and {@code output} strings where present; every gold answer
 * valid for the suite. Errors name the file, the item index and the field. Unknown fields are
 * ignored.
 */
public final class SuiteLoader {

    /** The file name inside each suite directory. */
    public static final String TEST_FILE = "test.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SuiteLoader() {}

    /**
     * The suite from the data directory (the directory that holds {@code AddSub/}, {@code boolq/}, ...);
     * a built-in suite is generated instead, with {@link SyntheticSuites#DEFAULT_SEED} and its expected
     * size, and {@code dataDir} is not read (it may be null).
     */
    public static Suite load(Path dataDir, SuiteSpec spec) {
        if (spec.builtin()) {
            return SyntheticSuites.test(spec, SyntheticSuites.DEFAULT_SEED, spec.expectedItems());
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("suite " + spec.name() + " is read from " + spec.directory() + "/"
                    + TEST_FILE + " in a data directory, and none is configured");
        }
        Path dir = dataDir.resolve(spec.directory());
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("suite " + spec.name() + ": directory " + dir + " not found");
        }
        return loadFile(spec, dir.resolve(TEST_FILE));
    }

    /** The suite from one file in the {@code test.json} format (a full suite file or a subset of one). */
    public static Suite loadFile(SuiteSpec spec, Path file) {
        return Suite.of(spec, readExamples(file), file.toString());
    }

    /** The records of a file in the {@code test.json} format, with field types checked. */
    public static List<SuiteExample> readExamples(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of items");
        }
        List<SuiteExample> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            if (!item.isObject()) {
                throw new IllegalArgumentException(file + ": item " + i + " is not an object");
            }
            out.add(new SuiteExample(text(file, i, item, "instruction", true), text(file, i, item, "input", false),
                    text(file, i, item, "output", false), text(file, i, item, "answer", true)));
        }
        return out;
    }

    private static String text(Path file, int i, JsonNode item, String field, boolean required) {
        JsonNode n = item.get(field);
        if (n == null) {
            if (required) {
                throw new IllegalArgumentException(file + ": item " + i + ": missing field '" + field + "'");
            }
            return "";
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(file + ": item " + i + ": field '" + field + "' must be a string, got "
                    + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return n.asText();
    }
}
