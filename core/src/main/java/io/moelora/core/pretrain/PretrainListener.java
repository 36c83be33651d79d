package io.moelora.core.pretrain;

/** Observes a pre-training run (a progress bar, a log line); called on the training thread. */
@FunctionalInterface
public interface PretrainListener {

    /** Does nothing. */
    PretrainListener NONE = step -> {};

    /** After every update. */
    void onStep(PretrainStep step);

    /** Before the first update, once the loss of the initial weights is known (nats per byte). */
    default void onStart(int totalSteps, double initialLoss) {}
}
