package io.moelora.core.train;

/**
 * Linear warm-up then linear decay to 0, as Hugging Face's {@code get_linear_schedule_with_warmup}:
 * optimizer update k (0-based) uses {@code lr · k / warmup} while k < warmup, then
 * {@code lr · max(0, (total − k) / (total − warmup))}. (So with warm-up the very first update has lr 0,
 * exactly as in the PEFT scripts this replaces.)
 */
public record LinearWarmupSchedule(double baseLr, int warmupSteps, int totalSteps) {

    public LinearWarmupSchedule {
        if (!(baseLr > 0) || !Double.isFinite(baseLr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + baseLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and total steps >= 1, got " + warmupSteps + ", " + totalSteps);
        }
    }

    /** Learning rate of update {@code k} (0-based). */
    public double lr(int k) {
        if (k < warmupSteps) {
            return baseLr * k / Math.max(1, warmupSteps);
        }
        return baseLr * Math.max(0.0, (double) (totalSteps - k) / Math.max(1, totalSteps - warmupSteps));
    }
}
