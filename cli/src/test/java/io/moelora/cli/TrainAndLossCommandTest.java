package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moelora train}, resume and {@code moelora loss} end to end on stories260K. */
class TrainAndLossCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsResumesAndScores() throws Exception {
        String model = CliRun.shared("models/stories260K/stories260K.bin").toString();
        String tok = CliRun.shared("models/stories260K/tok512.bin").toString();
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 16; i++) {
            json.append(i == 0 ? "" : ",").append("{\"instruction\":\"Add ").append(i).append(" and 2.\",\"input\":\"\",")
                    .append("\"output\":\"The answer is ").append(i + 2).append(".\",\"answer\":\"").append(i + 2).append("\"}");
        }
        Path data = Files.writeString(dir.resolve("train.json"), json.append("]").toString());
        Path out = dir.resolve("run");
        CliRun.Result train = CliRun.run("train", "--model", model, "--tokenizer", tok, "--data", data.toString(), "--adapter", "moelora",
                "--rank", "4", "--experts", "2", "--top-k", "1", "--lr", "1e-2", "--warmup", "0", "--batch", "4",
                "--micro-batch", "2", "--cutoff", "96", "--epochs", "2", "--save-every", "4", "--out", out.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.err()).contains("trainable parameters: ").contains("(without routers: ").contains("step 8/8");
        assertThat(out.resolve("step-000004")).isDirectory();
        assertThat(train.out().strip()).isEqualTo(out.resolve("step-000008").toString());

        CliRun.Result resumed = CliRun.run("train", "--model", model, "--tokenizer", tok, "--data", data.toString(), "--lr", "1e-2",
                "--warmup", "0", "--batch", "4", "--micro-batch", "2", "--cutoff", "96", "--epochs", "2",
                "--out", dir.resolve("resumed").toString(), "--resume", out.resolve("step-000004").toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming").contains("at step 4");
        // the resumed run ends on the same adapter as the uninterrupted one
        assertThat(Files.readAllBytes(dir.resolve("resumed/step-000008/adapter_model.safetensors")))
                .isEqualTo(Files.readAllBytes(out.resolve("step-000008/adapter_model.safetensors")));

        CliRun.Result loss = CliRun.run("loss", "--model", model, "--tokenizer", tok, "--adapter", out.resolve("step-000008").toString(),
                "--data", data.toString(), "--limit", "8");
        assertThat(loss.code()).as(loss.err()).isZero();
        JsonNode l = new ObjectMapper().readTree(loss.out());
        assertThat(l.get("lm_loss").asDouble()).isPositive().isFinite();
        assertThat(l.get("contrastive_loss").asDouble()).isFinite();
        assertThat(l.get("balance_loss").asDouble()).isGreaterThanOrEqualTo(1.0 - 1e-6); // N·Σ f P >= 1 for top-1
        assertThat(l.get("tokens").asInt()).isPositive();

        Path tampered = out.resolve("step-000008/adapter_config.json");
        Files.writeString(tampered, Files.readString(tampered).replace("\"top_k\" : 1", "\"top_k\" : 2"));
        CliRun.Result refused = CliRun.run("loss", "--model", model, "--adapter", out.resolve("step-000008").toString(),
                "--token-ids", Files.writeString(dir.resolve("ids.jsonl"), "{\"ids\":[1,2,3]}\n").toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("sha256 mismatch");
    }
}
