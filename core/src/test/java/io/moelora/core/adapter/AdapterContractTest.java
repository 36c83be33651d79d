package io.moelora.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.moelora.core.adapter.lora.LoraModule;
import io.moelora.core.checkpoint.CheckpointReader;
import io.moelora.core.checkpoint.CheckpointWriter;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.Adapters;
import io.moelora.core.model.Linear;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.TinyModels;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.EpochRunner;
import io.moelora.core.train.TrainingOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every adapter type in the registry must keep. */
class AdapterContractTest {

    @TempDir
    static Path dir;

    static LoadedModel base;

    static final TokenBatch BATCH = TokenBatch.leftPadded(List.of(new int[] {1, 5, 9, 14, 33, 2, 60, 7},
            new int[] {1, 40, 3, 22, 11}), 0);

    @BeforeAll
    static void load() {
        base = TinyModels.halfMha(dir.resolve("base"));
    }

    @AfterAll
    static void close() {
        base.close();
    }

    static Stream<AdapterConfig> everyType() {
        List<String> targets = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        Stream<AdapterConfig> configs = Stream.of(AdapterConfig.lora(4, 8, 0.05, targets),
                AdapterConfig.moelora(4, 2, 2, 16, 0.05, targets, 0.1, 0.1, 64, 0.01));
        assertThat(AdapterRegistry.names()).containsExactly("lora", "moelora"); // a new type must join this test
        return configs;
    }

    private static float[] logits(LlamaModel model, Adapters adapters) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            return model.logits(m, BATCH, null, adapters).toFloatArray();
        }
    }

    private static float[] logits(LlamaModel model, AdapterSet set) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            return model.logits(m, BATCH, null, set.pass(m, BATCH, false, false, 0)).toFloatArray();
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void zeroInitialisedBGivesExactlyTheBaseModel(AdapterConfig config) {
        try (AdapterSet set = AdapterSet.create(base.model(), config, 1)) {
            assertThat(logits(base.model(), set)).containsExactly(logits(base.model(), Adapters.NONE));
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void onlyAdapterParametersReceiveGradients(AdapterConfig config) {
        try (AdapterSet set = AdapterSet.create(base.model(), config, 1);
                NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.trainingMode();
            try (GradientCollector c = DjlRuntime.engine().newGradientCollector()) {
                AdapterPass pass = set.pass(m, BATCH, true, true, 3);
                NDArray loss = base.model().logits(m, BATCH, null, pass).square().mean().add(pass.contrastiveLoss());
                c.backward(loss);
            } finally {
                DjlRuntime.inferenceMode();
            }
            base.model().layers().forEach(layer -> layer.projections().asMap().values().forEach(p ->
                    assertThat(((Linear) p).weightTransposed().hasGradient()).as("frozen base weight").isFalse()));
            long nonZero = set.parameters().values().stream().filter(p -> {
                try (NDArray g = p.value().getGradient()) {
                    return g.abs().sum().getFloat() > 0;
                }
            }).count();
            assertThat(nonZero).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void saveThenLoadGivesIdenticalOutputs(AdapterConfig config) {
        Path ckpt = dir.resolve("contract-" + config.type());
        try (AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set,
                        TrainingOptions.defaults().withLr(1e-2).withWarmup(0).withBatching(4, 1, 32), 3)) {
            new EpochRunner(TinyModels.countingTask(12, 1), trainer, 1).run(3); // make B non-zero
            float[] before = logits(base.model(), set);
            CheckpointWriter.write(ckpt, set, trainer.optimizer(), trainer.state(0, 0, Map.of()), "tiny");
            try (LoadedCheckpoint loaded = CheckpointReader.read(ckpt, base.model())) {
                assertThat(logits(base.model(), loaded.adapters())).containsExactly(before);
                assertThat(loaded.adapters().config()).isEqualTo(config);
            }
            assertThat(before).isNotEqualTo(logits(base.model(), Adapters.NONE));
        }
    }

    @Test
    void mergedLoraEqualsUnmerged() {
        AdapterConfig config = AdapterConfig.lora(4, 8, 0, List.of("q_proj", "down_proj"));
        try (AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set,
                        TrainingOptions.defaults().withLr(1e-2).withWarmup(0).withBatching(4, 1, 32), 3);
                NDManager merged = DjlRuntime.newManager()) {
            new EpochRunner(TinyModels.countingTask(12, 1), trainer, 1).run(3);
            Adapters folded = (layer, module, b, x) -> {
                AdapterModule m = set.module(layer, module);
                return m == null ? b.forward(x) : ((LoraModule) m).merge((Linear) b, merged).forward(x);
            };
            float[] unmerged = logits(base.model(), set);
            float[] mergedLogits = logits(base.model(), folded);
            for (int i = 0; i < unmerged.length; i++) {
                assertThat(mergedLogits[i]).isCloseTo(unmerged[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }
}
