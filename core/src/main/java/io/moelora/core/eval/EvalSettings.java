package io.moelora.core.eval;

import io.moelora.core.generate.BeamSearch;

/**
 * How an evaluation run decodes and samples items; every field is written into the results.
 *
 * @param beams 1 = greedy, K > 1 = beam search with K beams (reference: 4)
 * @param lengthPenalty beam score normalisation exponent (reference 1.0)
 * @param lengthMode which length normalises beam scores
 * @param limit evaluate a seeded fixed subset of this many items per suite (null = all)
 * @param seed selects the subset
 * @param batch prompts per greedy batch
 * @param maxNewTokens overrides the suite's budget (null = the suite's: 256 math, 32 commonsense)
 */
public record EvalSettings(int beams, double lengthPenalty, BeamSearch.LengthMode lengthMode, Integer limit, long seed,
        int batch, Integer maxNewTokens) {

    /**
     * The seed that picks a {@code limit} subset unless told otherwise. The CLI and the eval service
     * share it, so a limited run of either scores the same items.
     */
    public static final long DEFAULT_SEED = 42;
    /** Prompts per greedy batch unless told otherwise. */
    public static final int DEFAULT_BATCH = 8;
    /** Beam width of the reference decoding (PROTOCOL.md). */
    public static final int REFERENCE_BEAMS = 4;

    public EvalSettings {
        if (beams < 1 || beams > 64) {
            throw new IllegalArgumentException("beams must be in [1, 64], got " + beams);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        if (batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("batch must be in [1, 1024], got " + batch);
        }
        if (maxNewTokens != null && maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
    }

    /**
     * The protocol's settings with {@code beams} (1 = greedy): reference length normalisation, the
     * suite's token budget, {@link #DEFAULT_SEED} and {@link #DEFAULT_BATCH}.
     *
     * @param limit items per suite, or null for all of them
     */
    public static EvalSettings of(int beams, Integer limit) {
        return new EvalSettings(beams, 1.0, BeamSearch.LengthMode.GENERATED, limit, DEFAULT_SEED, DEFAULT_BATCH, null);
    }

    /** How many items a run scores from a suite of {@code suiteSize} items: the limit, at most all. */
    public int items(int suiteSize) {
        return limit == null ? suiteSize : Math.min(limit, suiteSize);
    }

    /** A readable name of the decoding, e.g. {@code beam4} or {@code greedy}. */
    public String decoding() {
        return beams == 1 ? "greedy" : "beam" + beams;
    }
}
