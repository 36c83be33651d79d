package io.moelora.core.pretrain;

/**
 * What one pre-training update did.
 *
 * @param step updates done, 1-based
 * @param totalSteps updates planned
 * @param loss mean next-token cross-entropy of this update's windows, in nats per byte, before the update
 * @param lr learning rate used
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond predicted tokens per second of wall time of this update
 */
public record PretrainStep(int step, int totalSteps, double loss, double lr, double gradNorm, double tokensPerSecond) {}
