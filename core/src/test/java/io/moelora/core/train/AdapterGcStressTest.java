package io.moelora.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterPass;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.TinyModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forced garbage collection between forward and backward of MoELoRA training (LM + contrastive +
 * balance losses, dropout on) changes no gradient: nothing in the differentiated path may rely on a
 * temporary that GC frees (DJL's {@code NDArray.op(Number)}).
 */
class AdapterGcStressTest {

    @TempDir
    Path dir;

    @Test
    void gcBetweenForwardAndBackwardChangesNoAdapterGradient() throws Exception {
        AdapterConfig config = AdapterConfig.moelora(4, 2, 2, 16, 0.05,
                List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"), 0.1, 0.1, 64, 0.01);
        List<TokenizedExample> examples = TinyModels.countingTask(8, 3);
        try (LoadedModel base = TinyModels.halfMha(dir);
                AdapterSet adapters = AdapterSet.create(base.model(), config, 5)) {
            // one real update first so B is non-zero and every path carries gradient
            try (AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters,
                    TrainingOptions.defaults().withLr(1e-2).withWarmup(0).withBatching(8, 1, 32), 5)) {
                trainer.step(examples);
            }
            TrainingBatch batch = TrainingBatch.collate(examples, 0);
            Map<String, float[]> calm = gradients(base, adapters, batch, false);
            Map<String, float[]> stressed = gradients(base, adapters, batch, true);
            assertThat(stressed.keySet()).containsExactlyElementsOf(calm.keySet());
            calm.forEach((k, g) -> {
                float[] s = stressed.get(k);
                for (int i = 0; i < g.length; i++) {
                    assertThat(g[i]).as("%s grad[%d] finite", k, i).isFinite();
                    assertThat(s[i]).as("%s grad[%d]", k, i).isEqualTo(g[i]);
                }
            });
        }
    }

    private static Map<String, float[]> gradients(LoadedModel base, AdapterSet adapters, TrainingBatch batch, boolean gc)
            throws InterruptedException {
        Map<String, float[]> out = new LinkedHashMap<>();
        DjlRuntime.trainingMode();
        try (NDManager m = DjlRuntime.newManager(); GradientCollector c = DjlRuntime.engine().newGradientCollector()) {
            AdapterPass pass = adapters.pass(m, batch.tokens(), true, true, 99);
            NDArray lm = LanguageModelLoss.compute(base.model().logits(m, batch.tokens(), null, pass), batch.tokens(), batch.targets());
            NDArray loss = lm.add(pass.contrastiveLoss().mul(m.create(0.1f))).add(pass.balanceLoss().mul(m.create(0.01f)));
            if (gc) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(50);
                }
            }
            c.backward(loss);
        } finally {
            DjlRuntime.inferenceMode();
        }
        adapters.parameters().forEach((k, p) -> {
            try (NDArray g = p.value().getGradient()) {
                out.put(k, g.toFloatArray());
                g.set(new ai.djl.ndarray.index.NDIndex("..."), 0f); // fill in place: set(Buffer) would swap the storage
            }
        });
        return out;
    }
}
