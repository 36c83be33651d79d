package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example stream is a function of the source and the seed only. */
class ExampleStreamTest {

    @TempDir
    Path dir;

    @Test
    void syntheticStreamIsInterleavedAndSeeded() {
        ExampleStream stream = ExampleStream.parse("synthetic:synthetic-addsub,synthetic-choice");
        List<StreamExample> a = stream.take(1, 7);
        assertThat(a).extracting(StreamExample::task).containsExactly("synthetic-addsub", "synthetic-choice",
                "synthetic-addsub", "synthetic-choice", "synthetic-addsub", "synthetic-choice", "synthetic-addsub");
        assertThat(ExampleStream.parse("synthetic").take(1, 7)).extracting(StreamExample::task).containsExactly(
                "synthetic-addsub", "synthetic-choice", "synthetic-truefalse", "synthetic-addsub", "synthetic-choice",
                "synthetic-truefalse", "synthetic-addsub");
        // a longer stream extends a shorter one, so the examples trained do not depend on the step count
        assertThat(stream.take(1, 20).subList(0, 7)).isEqualTo(a);
        assertThat(stream.take(2, 7)).extracting(e -> e.example().instruction())
                .isNotEqualTo(a.stream().map(e -> e.example().instruction()).toList());
    }

    @Test
    void fileStreamIsShuffledPerSeedAndPass() throws Exception {
        Path file = Files.writeString(dir.resolve("train.jsonl"), """
                {"instruction": "one", "output": "1", "task": "t"}
                {"instruction": "two", "output": "2"}
                {"instruction": "three", "output": "3", "task": "t"}
                """);
        ExampleStream stream = ExampleStream.parse(file.toString());
        List<StreamExample> s = stream.take(5, 7);
        assertThat(s).hasSize(7);
        assertThat(new HashSet<>(s.subList(0, 3))).extracting(StreamExample::id)
                .containsExactlyInAnyOrder("train.jsonl-0", "train.jsonl-1", "train.jsonl-2");
        assertThat(new HashSet<>(s.subList(3, 6))).hasSize(3);
        assertThat(s).filteredOn(e -> e.id().equals("train.jsonl-1")).allMatch(e -> e.task().equals(ExampleStream.NO_TASK));
        assertThat(stream.take(5, 7)).isEqualTo(s);
        assertThatThrownBy(() -> ExampleStream.parse("synthetic:gsm8k")).hasMessageContaining("no built-in training generator");
    }
}
