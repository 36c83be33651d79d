package io.moelora.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.TinyModels;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.EpochRunner;
import io.moelora.core.train.TrainingOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-expert sample cap M: beyond M samples a seeded subset is used — the same seed gives the
 * same loss, another seed (almost surely) another one; below the cap the seed does not matter.
 */
class ContrastiveSubsamplingTest {

    @TempDir
    Path dir;

    private static float contrastive(LoadedModel base, AdapterSet set, TokenBatch batch, long seed) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            AdapterPass pass = set.pass(m, batch, false, true, seed);
            base.model().logits(m, batch, null, pass);
            return pass.contrastiveLoss().getFloat();
        }
    }

    @Test
    void theCapUsesASeededSubset() {
        TokenBatch batch = TokenBatch.leftPadded(List.of(new int[] {1, 5, 9, 14, 33, 2, 60, 7, 8, 9, 10, 11},
                new int[] {1, 40, 3, 22, 11, 12, 13, 14, 15, 16, 17, 18}), 0); // 24 tokens, ≥ 6 per expert on average
        try (LoadedModel base = TinyModels.halfMha(dir)) {
            for (int cap : new int[] {3, 64}) {
                AdapterConfig config = AdapterConfig.moelora(4, 2, 2, 16, 0, List.of("q_proj", "v_proj"), 0.1, 0.1, cap, 0.01);
                try (AdapterSet set = AdapterSet.create(base.model(), config, 2);
                        AdapterTrainer trainer = new AdapterTrainer(base.model(), set,
                                TrainingOptions.defaults().withLr(1e-2).withWarmup(0).withBatching(4, 1, 32), 2)) {
                    new EpochRunner(TinyModels.countingTask(8, 1), trainer, 1).run(2); // non-zero B: informative z
                    float a = contrastive(base, set, batch, 1);
                    float b = contrastive(base, set, batch, 1);
                    float c = contrastive(base, set, batch, 2);
                    assertThat(a).isFinite().isEqualTo(b);
                    if (cap == 3) {
                        assertThat(c).as("another subset").isNotEqualTo(a);
                    } else {
                        assertThat(c).as("no subsampling below the cap").isEqualTo(a);
                    }
                }
            }
        }
    }
}
