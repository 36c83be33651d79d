package io.moelora.core.train;

/** Observes training: progress output, metrics streaming and checkpoints hook in here, not in the loop. */
public interface TrainerListener {

    /** After every optimizer update (or skipped update). */
    default void onStep(StepResult result, TrainingProgress progress) {}

    /** Training stopped because too many consecutive updates were not finite. */
    default void onDiverged(int consecutiveBadSteps, StepResult last) {}
}
