package io.moelora.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.checkpoint.CheckpointReader;
import io.moelora.core.checkpoint.CheckpointWriter;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.testing.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training lowers the loss; checkpoint + resume reproduces an uninterrupted run exactly. */
class TrainingAndResumeTest {

    @TempDir
    static Path dir;

    static LoadedModel base;

    static final AdapterConfig MOELORA = AdapterConfig.moelora(4, 2, 2, 16, 0.05, List.of("q_proj", "v_proj", "down_proj"),
            0.1, 0.1, 64, 0.01);

    static final TrainingOptions OPTIONS = TrainingOptions.defaults().withLr(5e-3).withWarmup(2).withBatching(4, 2, 64).withSeed(11);

    @BeforeAll
    static void load() {
        base = TinyModels.halfMha(dir.resolve("base"));
    }

    @AfterAll
    static void close() {
        base.close();
    }

    private static List<Double> run(AdapterTrainer trainer, EpochRunner runner, int untilStep) {
        List<Double> losses = new ArrayList<>();
        trainer.addListener(new TrainerListener() {
            @Override
            public void onStep(StepResult r, TrainingProgress p) {
                losses.add(r.loss());
            }
        });
        runner.run(untilStep);
        return losses;
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedLossSequenceExactly() {
        List<TokenizedExample> data = TinyModels.countingTask(40, 5);
        int total = 10;
        List<Double> uninterrupted;
        try (AdapterSet adapters = AdapterSet.create(base.model(), MOELORA, 3);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, OPTIONS, total)) {
            uninterrupted = run(trainer, new EpochRunner(data, trainer, 5), total);
        }
        assertThat(uninterrupted).hasSize(total);

        Path checkpoint = dir.resolve("resume-ckpt");
        List<Double> firstHalf;
        try (AdapterSet adapters = AdapterSet.create(base.model(), MOELORA, 3);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, OPTIONS, total)) {
            EpochRunner runner = new EpochRunner(data, trainer, 5);
            firstHalf = run(trainer, runner, 4);
            CheckpointWriter.write(checkpoint, adapters, trainer.optimizer(),
                    trainer.state(runner.epoch(), runner.cursor(), Map.of("moelora.training-examples-0", 42L)), "tiny");
        }
        List<Double> secondHalf;
        try (LoadedCheckpoint ckpt = CheckpointReader.read(checkpoint, base.model());
                AdapterTrainer trainer = new AdapterTrainer(base.model(), ckpt.adapters(), OPTIONS, total)) {
            assertThat(ckpt.state().step()).isEqualTo(4);
            assertThat(ckpt.state().consumedOffsets()).containsEntry("moelora.training-examples-0", 42L);
            trainer.restore(ckpt.state());
            trainer.optimizer().restore(ckpt.optimizerMoments(), ckpt.optimizerUpdates());
            EpochRunner runner = new EpochRunner(data, trainer, 5);
            runner.seek(ckpt.state().epoch(), ckpt.state().cursor());
            secondHalf = run(trainer, runner, total);
        }
        List<Double> resumed = new ArrayList<>(firstHalf);
        resumed.addAll(secondHalf);
        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void trainingLowersTheLossAndReportsRouting() {
        List<TokenizedExample> data = TinyModels.countingTask(64, 9);
        List<StepResult> results = new ArrayList<>();
        int total = 40;
        try (AdapterSet adapters = AdapterSet.create(base.model(), MOELORA, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters,
                        OPTIONS.withLr(5e-2), total)) {
            trainer.addListener(new TrainerListener() {
                @Override
                public void onStep(StepResult r, TrainingProgress p) {
                    results.add(r);
                }
            });
            new EpochRunner(data, trainer, 100).run(total);
        }
        double first = results.subList(0, 3).stream().mapToDouble(StepResult::lmLoss).average().orElseThrow();
        double last = results.subList(total - 3, total).stream().mapToDouble(StepResult::lmLoss).average().orElseThrow();
        assertThat(last).isLessThan(first * 0.8);
        StepResult r = results.get(total - 1);
        assertThat(r.skipped()).isFalse();
        assertThat(r.contrastiveLoss()).isPositive();
        assertThat(r.routing()).hasSize(2 * 3);
        assertThat(r.routing().get(0).top1Counts()).hasSize(4);
        assertThat(r.routing().get(0).tokens()).isPositive();
        assertThat(r.routing().get(0).meanGateEntropy()).isBetween(0.0, Math.log(2) + 1e-9);
    }

    @Test
    void anAbsurdLearningRateIsSkippedThenStoppedWithoutApplyingNonFiniteValues() {
        List<TokenizedExample> data = TinyModels.countingTask(64, 2);
        TrainingOptions absurd = new TrainingOptions(1e38, 0, 0, 4, 1, 64, true, 0, 3, 1);
        try (AdapterSet adapters = AdapterSet.create(base.model(), AdapterConfig.lora(4, 8, 0, List.of("q_proj", "v_proj")), 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, absurd, 100)) {
            List<StepResult> results = new ArrayList<>();
            trainer.addListener(new TrainerListener() {
                @Override
                public void onStep(StepResult r, TrainingProgress p) {
                    results.add(r);
                }
            });
            assertThatThrownBy(() -> new EpochRunner(data, trainer, 10).run(100))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("non-finite");
            boolean finite = adapters.peftValues().values().stream().allMatch(v -> {
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        return false;
                    }
                }
                return true;
            });
            if (!finite) {
                assertThatThrownBy(() -> CheckpointWriter.write(dir.resolve("nan-ckpt"), adapters, trainer.optimizer(),
                        trainer.state(0, 0, Map.of()), "tiny"))
                        .isInstanceOf(io.moelora.core.checkpoint.CheckpointException.class)
                        .hasMessageContaining("non-finite");
                assertThat(dir.resolve("nan-ckpt")).doesNotExist();
            }
        }
    }
}
