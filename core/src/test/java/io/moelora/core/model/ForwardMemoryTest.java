package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterPass;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.TinyModels;
import io.moelora.core.train.LanguageModelLoss;
import io.moelora.core.train.TokenizedExample;
import io.moelora.core.train.TrainingBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forward pass frees its intermediates as it goes (io.moelora.core.runtime.Intermediates) instead of
 * holding all of them until its manager closes: what is left in the call's manager afterwards is the
 * output and per-call constants, not a few dozen arrays per layer.
 */
class ForwardMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aForwardPassLeavesFewArraysInItsManager() {
        List<TokenizedExample> data = TinyModels.countingTask(4, 3);
        try (LoadedModel base = TinyModels.halfMha(dir);
                AdapterSet adapters = AdapterSet.create(base.model(), AdapterConfig.lora(8, 16, 0.05,
                        List.of("q_proj", "v_proj", "gate_proj")), 1)) {
            TrainingBatch batch = TrainingBatch.collate(data, 0);
            DjlRuntime.inferenceMode();
            try (NDManager m = base.model().weightsManager().newSubManager()) {
                base.model().logits(m, batch.tokens(), null);
                // 2 layers; with every intermediate kept it is about 130
                assertThat(m.getManagedArrays().size()).as("arrays left by an inference forward").isLessThanOrEqualTo(30);
            }
            DjlRuntime.trainingMode();
            try (NDManager m = base.model().weightsManager().newSubManager();
                    var collector = DjlRuntime.engine().newGradientCollector()) {
                AdapterPass pass = adapters.pass(m, batch.tokens(), true, true, 1);
                NDArray logits = base.model().logits(m, batch.tokens(), null, pass);
                NDArray loss = LanguageModelLoss.compute(logits, batch.tokens(), batch.targets());
                // with every intermediate kept it is about 170
                assertThat(m.getManagedArrays().size()).as("arrays left by a training forward").isLessThanOrEqualTo(40);
                collector.backward(loss); // what autograd saved is still there
                adapters.parameters().forEach((name, p) -> assertThat(p.value().getGradient().abs().sum().getFloat())
                        .as(name).isFinite());
            } finally {
                DjlRuntime.inferenceMode();
            }
        }
    }
}
