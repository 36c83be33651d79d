package io.moelora.core.train;

/**
 * Optimisation settings (LLM-Adapters defaults: lr 3e-4, 100 warm-up steps, batch 16 as 4 × 4,
 * cutoff 256, train on inputs).
 *
 * @param lr peak learning rate
 * @param warmupSteps linear warm-up updates
 * @param weightDecay decoupled AdamW weight decay
 * @param microBatch examples per forward/backward
 * @param accumulation micro-batches per optimizer update
 * @param cutoff maximum tokens per example
 * @param trainOnInputs whether prompt tokens are targets too
 * @param maxGradNorm global gradient-norm clip (0 = off)
 * @param maxBadSteps consecutive non-finite steps after which training stops
 * @param seed seeds initialisation, data order, dropout and contrastive subsampling
 */
public record TrainingOptions(
        double lr,
        int warmupSteps,
        double weightDecay,
        int microBatch,
        int accumulation,
        int cutoff,
        boolean trainOnInputs,
        double maxGradNorm,
        int maxBadSteps,
        long seed) {

    public TrainingOptions {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmupSteps);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (microBatch < 1 || microBatch > 4096 || accumulation < 1 || accumulation > 4096) {
            throw new IllegalArgumentException("micro-batch and accumulation must be in [1, 4096], got "
                    + microBatch + " and " + accumulation);
        }
        if (cutoff < 8 || cutoff > 32768) {
            throw new IllegalArgumentException("cutoff must be in [8, 32768], got " + cutoff);
        }
        if (!(maxGradNorm >= 0) || !Double.isFinite(maxGradNorm)) {
            throw new IllegalArgumentException("max grad norm must be finite and >= 0, got " + maxGradNorm);
        }
        if (maxBadSteps < 1) {
            throw new IllegalArgumentException("max bad steps must be >= 1, got " + maxBadSteps);
        }
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(3e-4, 100, 0, 4, 4, 256, true, 1.0, 5, 42);
    }

    public TrainingOptions withLr(double v) {
        return new TrainingOptions(v, warmupSteps, weightDecay, microBatch, accumulation, cutoff, trainOnInputs, maxGradNorm, maxBadSteps, seed);
    }

    public TrainingOptions withBatching(int micro, int accum, int cut) {
        return new TrainingOptions(lr, warmupSteps, weightDecay, micro, accum, cut, trainOnInputs, maxGradNorm, maxBadSteps, seed);
    }

    public TrainingOptions withWarmup(int v) {
        return new TrainingOptions(lr, v, weightDecay, microBatch, accumulation, cutoff, trainOnInputs, maxGradNorm, maxBadSteps, seed);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(lr, warmupSteps, weightDecay, microBatch, accumulation, cutoff, trainOnInputs, maxGradNorm, maxBadSteps, v);
    }

    /** Examples per optimizer update. */
    public int batchSize() {
        return microBatch * accumulation;
    }
}
