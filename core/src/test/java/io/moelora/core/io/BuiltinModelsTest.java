package io.moelora.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in tiny base model and its byte tokenizer: no files, deterministic. */
class BuiltinModelsTest {

    @Test
    void byteTokenizerRoundTripsAnyText() {
        ByteTokenizer t = new ByteTokenizer();
        String text = "Tom has 3 apples — ½ left 🙂";
        int[] ids = t.encode(text, true, true);
        assertThat(ids[0]).isEqualTo(ByteTokenizer.BOS);
        assertThat(ids[ids.length - 1]).isEqualTo(ByteTokenizer.EOS);
        assertThat(t.decode(ByteTokenizer.BOS, ids)).isEqualTo(text);
        assertThat(java.util.Arrays.stream(ids).max().orElseThrow()).isLessThan(t.vocabSize());
    }

    @Test
    void tinyLoadsWithoutFilesAndGeneratesDeterministically() {
        int[] first;
        try (LoadedModel m = ModelLoader.load(Path.of("builtin:tiny"), null)) {
            assertThat(m.model().config().vocabSize()).isEqualTo(ByteTokenizer.VOCAB);
            first = new GreedyGenerator(m.model(), m.stopIds()).generate(List.of(m.tokenizer().encode("Hi", true, false)), 8).get(0);
        }
        try (LoadedModel m = BuiltinModels.load(BuiltinModels.TINY)) {
            assertThat(new GreedyGenerator(m.model(), m.stopIds()).generate(List.of(m.tokenizer().encode("Hi", true, false)), 8).get(0))
                    .containsExactly(first);
        }
        assertThatThrownBy(() -> BuiltinModels.load("builtin:huge")).hasMessageContaining("builtin:tiny");
    }
}
