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

    /** A readable name of the decoding, e.g. {@code beam4} or {@code greedy}. */
    public String decoding() {
        return beams == 1 ? "greedy" : "beam" + beams;
    }
}
