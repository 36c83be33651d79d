package io.moelora.core.eval;

import java.util.List;

/**
 * One suite scored with one extractor. Names everything that makes the number comparable: suite
 * version, extractor and protocol version (decoding settings are the caller's to record beside it).
 *
 * @param suite canonical suite name
 * @param family the suite's family, for the per-family averages
 * @param suiteVersion the registry's version of the suite
 * @param extractor the extractor used (the reference one unless named otherwise)
 * @param protocolVersion {@link EvalProtocol#VERSION}
 * @param n number of items scored (all of the suite's)
 * @param correct number of correct items
 * @param accuracy {@code correct / n * 100}
 * @param items per-item results in index order
 */
public record SuiteScore(
        String suite,
        Family family,
        String suiteVersion,
        String extractor,
        String protocolVersion,
        int n,
        int correct,
        double accuracy,
        List<ItemScore> items) {

    public SuiteScore {
        if (suite == null || family == null || suiteVersion == null || extractor == null || protocolVersion == null
                || items == null) {
            throw new IllegalArgumentException("suite score needs suite, family, versions, extractor and items");
        }
        items = List.copyOf(items);
        if (n != items.size() || n < 1) {
            throw new IllegalArgumentException("n must equal the number of items (>= 1), got n=" + n + " for "
                    + items.size() + " items");
        }
        long counted = items.stream().filter(ItemScore::correct).count();
        if (correct != counted) {
            throw new IllegalArgumentException("correct must equal the number of correct items (" + counted + "), got "
                    + correct);
        }
        if (Math.abs(accuracy - accuracy(correct, n)) > 1e-9) {
            throw new IllegalArgumentException("accuracy must be correct / n * 100 = " + accuracy(correct, n)
                    + ", got " + accuracy);
        }
    }

    /** Accuracy in percent, computed as the reference does ({@code correct / n * 100}). */
    public static double accuracy(int correct, int n) {
        return (double) correct / n * 100;
    }
}
