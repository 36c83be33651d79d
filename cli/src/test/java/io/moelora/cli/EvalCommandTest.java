package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moelora eval} end to end: auditable, reproducible results and clear errors. */
class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void resultsAreAuditableAndByteIdenticalAcrossRuns() throws Exception {
        String model = CliRun.shared("models/stories260K/stories260K.bin").toString();
        String tok = CliRun.shared("models/stories260K/tok512.bin").toString();
        String data = CliRun.shared("datasets").toString();
        String[] common = {"eval", "--model", model, "--tokenizer", tok, "--suites", "boolq,synthetic-addsub",
            "--data-dir", data, "--limit", "3", "--beams", "2", "--max-new-tokens", "8", "--seed", "7"};
        Path first = dir.resolve("a.json");
        Path second = dir.resolve("b.json");
        CliRun.Result r1 = CliRun.run(concat(common, "--out", first.toString()));
        assertThat(r1.code()).as(r1.err()).isZero();
        CliRun.Result r2 = CliRun.run(concat(common, "--out", second.toString()));
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

        JsonNode results = new ObjectMapper().readTree(first.toFile());
        assertThat(results.get("protocolVersion").asText()).isNotBlank();
        assertThat(results.get("settings").get("decoding").asText()).isEqualTo("beam2");
        assertThat(results.get("settings").get("modelSha256").asText())
                .isEqualTo("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696");
        JsonNode boolq = results.get("suites").get(0);
        assertThat(boolq.get("suite").asText()).isEqualTo("boolq");
        assertThat(boolq.get("n").asInt()).isEqualTo(3);
        assertThat(boolq.get("items")).hasSize(3);
        JsonNode item = boolq.get("items").get(0);
        assertThat(item.has("index") && item.has("response") && item.has("prediction") && item.has("gold")
                && item.has("correct")).isTrue();
        assertThat(results.get("suites").get(1).get("scores").size()).isGreaterThanOrEqualTo(2); // reference + strict
        assertThat(results.get("averages").has("overall")).isTrue();

        CliRun.Result other = CliRun.run("eval", "--model", model, "--tokenizer", tok, "--suites", "boolq", "--data-dir", data,
                "--limit", "3", "--seed", "8", "--greedy", "--max-new-tokens", "4", "--out", dir.resolve("c.json").toString());
        assertThat(other.code()).isZero();
        JsonNode otherItems = new ObjectMapper().readTree(dir.resolve("c.json").toFile()).get("suites").get(0).get("items");
        assertThat(otherItems.get(0).get("index").asInt() * 1_000_000 + otherItems.get(1).get("index").asInt())
                .as("another seed picks another subset")
                .isNotEqualTo(boolq.get("items").get(0).get("index").asInt() * 1_000_000 + boolq.get("items").get(1).get("index").asInt());
    }

    @Test
    void unknownSuiteIsOneClearError() {
        CliRun.Result r = CliRun.run("eval", "--model", "nope.bin", "--suites", "gsm9k", "--out", dir.resolve("x.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("gsm9k");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
