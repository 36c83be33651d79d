package io.moelora.core.train;

/**
 * Where training stands.
 *
 * @param step updates done
 * @param totalSteps planned updates
 * @param examplesSeen examples consumed by updates so far
 * @param skippedSteps updates skipped for non-finite loss or gradients
 */
public record TrainingProgress(int step, int totalSteps, long examplesSeen, int skippedSteps) {}
