package io.moelora.core.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.io.BuiltinModels;
import io.moelora.core.io.HfCheckpoint;
import io.moelora.core.io.HfConfig;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-trained base as a model directory: what is written loads back exactly, and is built once. */
class TinyBaseTest {

    private static final PretrainOptions TWO_STEPS = BasePretrainerTest.SHORT.withSteps(2);

    @TempDir
    Path dir;

    @Test
    void writtenDirectoryLoadsWithTheByteTokenizerAndTheSameLogits() throws Exception {
        PretrainCorpus corpus = PretrainCorpus.builtin(new ByteTokenizer());
        Path out = dir.resolve("tiny");
        try (TrainableBase base = TrainableBase.initial(BuiltinModels.tinyConfig());
                NDManager m = DjlRuntime.newManager()) {
            PretrainReport report = new BasePretrainer(base, corpus, TWO_STEPS).run(PretrainListener.NONE);
            PretrainRecord record = BaseModelWriter.write(out, base,
                    sha -> PretrainRecord.of(TinyBase.MODEL, corpus, TWO_STEPS, report, sha));

            assertThat(out).isDirectoryContaining(p -> p.getFileName().toString().equals("tokenizer_config.json"))
                    .isDirectoryNotContaining(p -> p.getFileName().toString().equals("tokenizer.json"));
            assertThat(HfConfig.read(out.resolve(HfCheckpoint.CONFIG))).isEqualTo(BuiltinModels.tinyConfig());
            assertThat(PretrainRecord.read(out)).isEqualTo(record);
            assertThat(record.finalLoss()).isLessThan(record.initialLoss());
            assertThat(Files.list(dir)).as("no staging directory is left behind").containsExactly(out);

            DjlRuntime.inferenceMode();
            TokenBatch batch = TokenBatch.leftPadded(List.of(new ByteTokenizer().encode("Anna has 3 cups.", true, false),
                    new ByteTokenizer().encode("Hi", true, false)), ByteTokenizer.PAD);
            NDArray trained = base.model().logits(m, batch, null); // (B, T, V)
            try (LoadedModel loaded = ModelLoader.loadWithTokenizer(out, null)) {
                assertThat(loaded.tokenizer()).isInstanceOf(ByteTokenizer.class);
                assertThat(loaded.stopIds()).containsExactly(ByteTokenizer.EOS);
                NDArray reloaded = loaded.model().logits(m, batch, null); // (B, T, V)
                assertThat(reloaded.toFloatArray()).containsExactly(trained.toFloatArray());
            }
        }
    }

    @Test
    void ensureBuildsOnceThenReusesAndRebuildsOnOtherSettingsOrDamage() throws Exception {
        Path out = dir.resolve("models/tiny");
        List<PretrainStep> steps = new java.util.ArrayList<>();
        TinyBase.Result first = TinyBase.ensure(out, TWO_STEPS, false, steps::add);
        assertThat(first.built()).isTrue();
        assertThat(steps).hasSize(2);

        TinyBase.Result again = TinyBase.ensure(out, TWO_STEPS, false, s -> {
            throw new AssertionError("a complete base must be reused, not retrained");
        });
        assertThat(again.built()).isFalse();
        assertThat(again.record()).isEqualTo(first.record());
        assertThat(TinyBase.reusable(out, TWO_STEPS)).contains(first.record());

        assertThat(TinyBase.reusable(out, TWO_STEPS.withSeed(99))).isEmpty();
        assertThat(TinyBase.ensure(out, TWO_STEPS.withSteps(3), false, PretrainListener.NONE).built()).isTrue();
        assertThat(PretrainRecord.read(out).options().steps()).isEqualTo(3);

        Path weights = out.resolve(HfCheckpoint.SINGLE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertThat(TinyBase.ensure(out, TWO_STEPS.withSteps(3), false, PretrainListener.NONE).built()).isTrue();
        assertThat(TinyBase.ensure(out, TWO_STEPS.withSteps(3), true, PretrainListener.NONE).built()).isTrue();
        assertThat(Files.list(out.getParent()).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("tiny", ".tiny.lock");
    }

    @Test
    void ensureRefusesToReplaceADirectoryItDidNotWrite() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("llama"));
        Files.writeString(foreign.resolve("config.json"), "{}");
        assertThatThrownBy(() -> TinyBase.ensure(foreign, TWO_STEPS, true, PretrainListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a base model written by this tool");
        assertThat(foreign.resolve("config.json")).hasContent("{}");
    }

    @Test
    void cliDefaultsAndServiceDefaultsNameTheSameBase() {
        PretrainOptions defaults = PretrainOptions.defaults();
        assertThat(defaults.withSteps(defaults.steps())).isEqualTo(defaults);
    }
}
