package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moelora score} end to end on small test files, printing to captured streams. */
class ScoreCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT_END = "### Response:\\n                ";

    @TempDir
    Path dir;

    private Path gsmTest() throws IOException {
        return Files.writeString(dir.resolve("test.json"), "[\n"
                + "{\"instruction\": \"q0\", \"input\": \"\", \"output\": \"\", \"answer\": \"4\"},\n"
                + "{\"instruction\": \"q1\", \"input\": \"\", \"output\": \"\", \"answer\": \"1234.5\"},\n"
                + "{\"instruction\": \"q2\", \"input\": \"\", \"output\": \"\", \"answer\": \"0.6666666666666666\"}\n]");
    }

    private Path predictions(String... lines) throws IOException {
        return Files.writeString(dir.resolve("preds.jsonl"), String.join("\n", lines) + "\n");
    }

    private CliRun.Result score(Path test, Path predictions, String... more) {
        String[] base = {"score", "--suite", "GSM8K", "--test", test.toString(), "--predictions", predictions.toString()};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.run(args);
    }

    @Test
    void printsOneJsonObjectWithPerItemPredictions() throws Exception {
        Path test = gsmTest();
        Path preds = predictions(
                "{\"index\": 1, \"response\": \"prompt " + PROMPT_END + "The answer is 1,234.5.</s>\"}",
                "{\"index\": 0, \"response\": \"prompt " + PROMPT_END + "5 - 3 = 2\\n### Response: 4\"}",
                "{\"index\": 2, \"response\": \"prompt " + PROMPT_END + "no number here\"}");
        CliRun.Result r = score(test, preds);
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("suite").asText()).isEqualTo("gsm8k");
        assertThat(json.get("n").asInt()).isEqualTo(3);
        assertThat(json.get("correct").asInt()).isEqualTo(1);
        assertThat(json.get("accuracy").asDouble()).isEqualTo(1.0 / 3 * 100);
        assertThat(json.get("items").toString()).isEqualTo("[{\"index\":0,\"prediction\":\"2.0\",\"correct\":false},"
                + "{\"index\":1,\"prediction\":\"1234.5\",\"correct\":true},"
                + "{\"index\":2,\"prediction\":\"inf\",\"correct\":false}]");
        assertThat(fieldNames(json)).containsExactly("suite", "n", "correct", "accuracy", "items");
    }

    @Test
    void namedExtractorIsUsed() throws Exception {
        Path preds = predictions("{\"index\": 0, \"response\": \"The answer is 4. Check: 5 - 3 = 2\"}",
                "{\"index\": 1, \"response\": \"The answer is 1,234.5\"}", "{\"index\": 2, \"response\": \"The answer is 2/3\"}");
        CliRun.Result r = score(gsmTest(), preds, "--extractor", "numeric-strict");
        assertThat(r.code()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("correct").asInt()).isEqualTo(3);
        assertThat(json.get("accuracy").asDouble()).isEqualTo(100.0);
        assertThat(json.get("items").get(2).get("prediction").asText()).isEqualTo("0.6666666666666666");
    }

    @Test
    void commonsenseSuite() throws Exception {
        Path test = Files.writeString(dir.resolve("boolq.json"), "[{\"instruction\": \"q\", \"answer\": \"true\"},"
                + " {\"instruction\": \"q\", \"answer\": \"false\"}]");
        Path preds = predictions("{\"index\": 0, \"response\": \"the correct answer is true\"}",
                "{\"index\": 1, \"response\": \"the correct answer is True\"}");
        CliRun.Result r = CliRun.run("score", "--suite", "boolq", "--test", test.toString(), "--predictions", preds.toString());
        assertThat(r.code()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("accuracy").asDouble()).isEqualTo(50.0);
        assertThat(json.get("items").get(1).get("prediction").asText()).isEmpty();
    }

    @Test
    void unknownSuiteListsTheValidOnes() throws Exception {
        CliRun.Result r = CliRun.run("score", "--suite", "gsm9k", "--test", gsmTest().toString(), "--predictions",
                predictions("{\"index\": 0, \"response\": \"4\"}").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: unknown suite 'gsm9k'").contains("gsm8k").contains("groups:");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownExtractorIsOneErrorLine() throws Exception {
        CliRun.Result r = score(gsmTest(), predictions("{\"index\": 0, \"response\": \"4\"}"), "--extractor", "aqua-fixed");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: extractor 'aqua-fixed' does not apply to suite gsm8k")
                .contains("valid: numeric, numeric-strict");
    }

    @Test
    void indexProblemsAreNamed() throws Exception {
        Path test = gsmTest();
        CliRun.Result outOfRange = score(test, predictions("{\"index\": 0, \"response\": \"4\"}", "{\"index\": 1, \"response\": \"4\"}",
                "{\"index\": 2, \"response\": \"4\"}", "{\"index\": 3, \"response\": \"4\"}"));
        assertThat(outOfRange.code()).isEqualTo(2);
        assertThat(outOfRange.err()).startsWith("error: index 3 is out of range").contains("0..2");

        CliRun.Result duplicate = score(test, predictions("{\"index\": 0, \"response\": \"4\"}", "{\"index\": 0, \"response\": \"5\"}"));
        assertThat(duplicate.code()).isEqualTo(2);
        assertThat(duplicate.err()).startsWith("error: index 0 has more than one prediction");

        CliRun.Result missing = score(test, predictions("{\"index\": 1, \"response\": \"4\"}"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: no prediction for 2 of 3 items").contains(": 0, 2");
        assertThat(missing.err()).doesNotContain("\tat ");
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path badPreds = predictions("{\"index\": 0, \"response\": \"4\"}", "not json");
        CliRun.Result r = score(gsmTest(), badPreds);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("preds.jsonl: line 2: not valid JSON");

        Path badTest = Files.writeString(dir.resolve("bad.json"), "[{\"instruction\": \"q\", \"answer\": \"four\"}]");
        CliRun.Result bad = score(badTest, predictions("{\"index\": 0, \"response\": \"4\"}"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.json: item 0: field 'answer': 'four' is not a number");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun.Result r = CliRun.run("score", "--suite", "gsm8k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required options");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
