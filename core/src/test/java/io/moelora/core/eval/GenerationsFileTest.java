package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions files: one JSON object per line, errors with the line number. */
class GenerationsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsLinesSkippingBlankOnes() throws IOException {
        Path file = Files.writeString(dir.resolve("p.jsonl"),
                "{\"index\": 1, \"response\": \"b\", \"model\": \"x\"}\n\n{\"index\": 0, \"response\": \"a\\n### Response: c\"}\n");
        assertThat(GenerationsFile.read(file)).containsExactly(new Generation(1, "b"), new Generation(0, "a\n### Response: c"));
    }

    @Test
    void badLinesAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("p.jsonl"), "{\"index\": 0, \"response\": \"a\"}\n{\"index\": \"1\", \"response\": \"b\"}\n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p.jsonl: line 2: field 'index' must be a non-negative integer");
        Files.writeString(file, "{\"index\": -1, \"response\": \"a\"}\n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).hasMessageContaining("line 1: field 'index'");
        Files.writeString(file, "{\"index\": 1.5, \"response\": \"a\"}\n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).hasMessageContaining("line 1: field 'index'");
        Files.writeString(file, "{\"index\": 0}\n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).hasMessageContaining("line 1: field 'response' must be a string");
        Files.writeString(file, "{\"index\": 0, \"response\": \n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).hasMessageContaining("line 1: not valid JSON");
        Files.writeString(file, "[1]\n");
        assertThatThrownBy(() -> GenerationsFile.read(file)).hasMessageContaining("line 1: expected a JSON object");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> GenerationsFile.read(dir.resolve("none.jsonl")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.jsonl: file not found");
    }
}
