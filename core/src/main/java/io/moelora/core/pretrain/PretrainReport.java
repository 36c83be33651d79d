package io.moelora.core.pretrain;

/**
 * The outcome of a pre-training run.
 *
 * @param initialLoss corpus loss of the initial weights on the fixed evaluation windows (nats per byte)
 * @param finalLoss corpus loss after training, same windows
 * @param lastStepLoss loss of the last update's training windows
 * @param steps updates done
 * @param tokens predicted tokens processed
 * @param seconds wall time of the training loop
 */
public record PretrainReport(double initialLoss, double finalLoss, double lastStepLoss, int steps, long tokens, double seconds) {}
