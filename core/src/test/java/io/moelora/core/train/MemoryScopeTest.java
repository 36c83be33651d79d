package io.moelora.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No training step leaves arrays behind in a long-lived manager (DJL attaches an op's result to its
 * left operand's manager, so one misplaced operand leaks every step).
 */
class MemoryScopeTest {

    @TempDir
    Path dir;

    @Test
    void longLivedManagersHoldTheSameArraysAfterMoreSteps() {
        AdapterConfig config = AdapterConfig.moelora(4, 2, 2, 16, 0.05, List.of("q_proj", "v_proj", "down_proj"),
                0.1, 0.1, 64, 0.01);
        List<TokenizedExample> data = TinyModels.countingTask(32, 4);
        try (LoadedModel base = TinyModels.halfMha(dir);
                AdapterSet adapters = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters,
                        TrainingOptions.defaults().withLr(1e-3).withWarmup(0).withBatching(4, 2, 32), 20)) {
            EpochRunner runner = new EpochRunner(data, trainer, 10);
            runner.run(3);
            int weights = base.model().weightsManager().getManagedArrays().size();
            int params = adapters.manager().getManagedArrays().size();
            runner.run(9);
            assertThat(base.model().weightsManager().getManagedArrays()).hasSize(weights);
            assertThat(adapters.manager().getManagedArrays()).hasSize(params);
        }
    }
}
