package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moelora base}: builds the pre-trained tiny base once, then reuses it; the result works with generate. */
class BaseCommandTest {

    @TempDir
    Path dir;

    @Test
    void buildsWithProgressThenReusesAndTheDirectoryGenerates() {
        Path out = dir.resolve("models/tiny");
        CliRun.Result built = CliRun.run("base", "--out", out.toString(), "--steps", "2");
        assertThat(built.code()).as(built.err()).isZero();
        assertThat(built.out().strip()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(built.err()).contains("pre-training the tiny base: 2 updates").contains("step 2/2 [####################]")
                .contains("wrote " + out.toAbsolutePath());
        assertThat(out.resolve("model.safetensors")).isRegularFile();
        assertThat(out.resolve("pretrain.json")).isRegularFile();

        long start = System.nanoTime();
        CliRun.Result reused = CliRun.run("base", "--out", out.toString(), "--steps", "2");
        assertThat(reused.code()).isZero();
        assertThat(reused.out().strip()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(reused.err()).startsWith("reusing " + out.toAbsolutePath()).doesNotContain("step 1/");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);

        CliRun.Result text = CliRun.run("generate", "--model", out.toString(), "--prompt", "Anna has", "--max-new-tokens", "8");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Anna has");
    }

    @Test
    void forceRetrainsAndAForeignDirectoryIsRefused() throws Exception {
        Path out = dir.resolve("tiny");
        assertThat(CliRun.run("base", "--out", out.toString(), "--steps", "1").code()).isZero();
        CliRun.Result forced = CliRun.run("base", "--out", out.toString(), "--steps", "1", "--force");
        assertThat(forced.code()).isZero();
        assertThat(forced.err()).contains("wrote ");

        Path foreign = Files.createDirectories(dir.resolve("llama"));
        Files.writeString(foreign.resolve("config.json"), "{}");
        CliRun.Result refused = CliRun.run("base", "--out", foreign.toString(), "--steps", "1");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: ").contains("not a base model written by this tool");
        assertThat(CliRun.run("base", "--out", out.toString(), "--steps", "0").err()).contains("steps must be >= 1");
    }
}
