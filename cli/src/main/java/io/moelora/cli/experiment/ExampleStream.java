package io.moelora.cli.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.core.eval.SyntheticSuites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The examples an experiment feeds its jobs. The stream is a function of the source and the seed
 * only, never of the recipe, so every recipe of one seed trains on exactly the same examples in the
 * same order, and a different seed is a different replicate of the data as well as of the init.
 *
 * <ul>
 *   <li>{@code synthetic} or {@code synthetic:<suites>}: the built-in training generators of those
 *       suites with the seed, interleaved round-robin (suite 1 item 0, suite 2 item 0, suite 1 item 1,
 *       ...), as {@code push --synthetic} sends them; their test splits never share an instruction with
 *       a training item.
 *   <li>a file (JSON array or JSON lines of {@code {instruction, input, output[, task]}}): the items
 *       shuffled with the seed, reshuffled for each further pass when more examples are needed.
 * </ul>
 */
final class ExampleStream {

    /** The prefix of a {@code --train} value that names built-in training generators. */
    static final String SYNTHETIC = "synthetic";
    /** The task of file items without a {@code task} field. */
    static final String NO_TASK = "all";

    private final String source;
    private final List<String> suites; // non-empty for synthetic sources
    private final List<StreamExample> fileItems; // non-null for file sources

    private ExampleStream(String source, List<String> suites, List<StreamExample> fileItems) {
        this.source = source;
        this.suites = suites;
        this.fileItems = fileItems;
    }

    /** Parses a {@code --train} value. */
    static ExampleStream parse(String value) {
        if (value.equals(SYNTHETIC) || value.startsWith(SYNTHETIC + ":")) {
            String names = value.equals(SYNTHETIC) ? SYNTHETIC : value.substring(SYNTHETIC.length() + 1);
            List<String> suites = new ArrayList<>();
            for (SuiteSpec s : SuiteRegistry.standard().resolve(names)) {
                if (!SyntheticSuites.NAMES.contains(s.name())) {
                    throw new IllegalArgumentException("--train " + value + ": " + s.name()
                            + " has no built-in training generator; generated suites: " + SyntheticSuites.NAMES);
                }
                suites.add(s.name());
            }
            return new ExampleStream(value, List.copyOf(suites), null);
        }
        return new ExampleStream(value, List.of(), readFile(Path.of(value)));
    }

    /** How the report names the data. */
    String source() {
        return source;
    }

    boolean synthetic() {
        return fileItems == null;
    }

    /** The first {@code count} examples of the stream of {@code seed}. */
    List<StreamExample> take(long seed, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an experiment needs at least one example, got " + count);
        }
        return synthetic() ? synthetic(seed, count) : shuffledPasses(seed, count);
    }

    private List<StreamExample> synthetic(long seed, int count) {
        int perSuite = (count + suites.size() - 1) / suites.size();
        List<List<SuiteExample>> bySuite = new ArrayList<>();
        for (String suite : suites) {
            bySuite.add(SyntheticSuites.trainingExamples(suite, seed, perSuite));
        }
        List<StreamExample> out = new ArrayList<>(count);
        for (int i = 0; out.size() < count; i++) {
            for (int s = 0; s < suites.size() && out.size() < count; s++) {
                SuiteExample e = bySuite.get(s).get(i);
                out.add(new StreamExample(suites.get(s) + "-s" + seed + "-" + i, suites.get(s), e.toInstructionExample()));
            }
        }
        return out;
    }

    private List<StreamExample> shuffledPasses(long seed, int count) {
        List<StreamExample> out = new ArrayList<>(count);
        for (int pass = 0; out.size() < count; pass++) {
            List<StreamExample> order = new ArrayList<>(fileItems);
            Collections.shuffle(order, new Random(seed * 31 + pass));
            out.addAll(order.subList(0, Math.min(order.size(), count - out.size())));
        }
        return out;
    }

    /** Items of a JSON array or JSON lines file; ids are {@code <file>-<index>}, as {@code push} gives them. */
    private static List<StreamExample> readFile(Path file) {
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--train " + file + ": cannot read: " + e.getMessage(), e);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        try {
            if (content.stripLeading().startsWith("[")) {
                json.readTree(content).forEach(nodes::add);
            } else {
                for (String line : content.split("\n")) {
                    if (!line.isBlank()) {
                        nodes.add(json.readTree(line));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        String name = file.getFileName().toString();
        List<StreamExample> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            try {
                InstructionExample e = new InstructionExample(text(n, "instruction"), text(n, "input"), text(n, "output"));
                String task = text(n, "task");
                out.add(new StreamExample(name + "-" + i, task == null || task.isEmpty() ? NO_TASK : task, e));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": item " + i + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no items");
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }
}
