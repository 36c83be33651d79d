package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, printing to captured streams. */
class GenerateCommandTest {

    static final String GOLDEN = "403 407 261 378 432 383 286 261 376 298 315 421 395 317 426 338 401 396 267 337 410 408"
            + " 419 292 411 322 265 282 295 433 426 385 328 432 358 394 261 370 432 352 266 268 388 426 338 391 266 267"
            + " 337 335 312 432 398 312 286 267 414 270 333 415 426 13 438 310";

    @Test
    void printsTheStories260KTestVectorIds() {
        CliRun.Result r = CliRun.run("generate", "--model", CliRun.shared("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", CliRun.shared("models/stories260K/tok512.bin").toString(),
                "--max-new-tokens", "64", "--greedy", "--ids");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).isEqualTo(GOLDEN);
    }

    @Test
    void printsTextWithThePrompt() {
        CliRun.Result r = CliRun.run("generate", "--model", CliRun.shared("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", CliRun.shared("models/stories260K/tok512.bin").toString(),
                "--prompt", "Once upon a time", "--max-new-tokens", "20");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Once upon a time");
        assertThat(r.out().length()).isGreaterThan("Once upon a time".length() + 20);
    }

    @Test
    void badModelFileIsOneClearErrorLine(@TempDir Path dir) throws Exception {
        Path bad = Files.write(dir.resolve("broken.bin"), new byte[] {1, 2, 3});
        CliRun.Result r = CliRun.run("generate", "--model", bad.toString(), "--max-new-tokens", "4");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("broken.bin").contains("not a llama2.c checkpoint");
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
