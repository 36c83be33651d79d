package io.moelora.trainer.train;

/**
 * Per-replica training settings (the job spec holds the per-job ones).
 *
 * @param metricsEvery publish {@code TrainingMetrics} every this many updates
 * @param keepLast checkpoints kept per job by retention (the newest ones)
 * @param maxQueued examples read ahead of training before the consumer pauses fetching
 */
public record TrainingSettings(int metricsEvery, int keepLast, int maxQueued) {

  public TrainingSettings {
    if (metricsEvery < 1 || keepLast < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("metricsEvery, keepLast and maxQueued must be >= 1, got "
          + metricsEvery + ", " + keepLast + ", " + maxQueued);
    }
  }
}
