package io.moelora.core.eval;

import java.util.List;
import java.util.function.Predicate;

/**
 * The averages the protocol reports: unweighted means of per-suite accuracies (as the papers report
 * them), over the suites present. A field is null when no suite of its kind was scored.
 *
 * @param mathAverage mean accuracy of the math suites, percent
 * @param commonsenseAverage mean accuracy of the commonsense suites, percent
 * @param overallAverage mean accuracy of all suites, percent
 */
public record Aggregates(Double mathAverage, Double commonsenseAverage, Double overallAverage) {

    /**
     * Averages one score per suite (pass the reference extractor's scores for published numbers).
     *
     * @throws IllegalArgumentException when a suite appears twice
     */
    public static Aggregates of(List<SuiteScore> scores) {
        if (scores.stream().map(SuiteScore::suite).distinct().count() != scores.size()) {
            throw new IllegalArgumentException("aggregates take one score per suite, got "
                    + scores.stream().map(SuiteScore::suite).toList());
        }
        return new Aggregates(mean(scores, s -> s.family() == Family.MATH),
                mean(scores, s -> s.family() == Family.COMMONSENSE), mean(scores, s -> true));
    }

    private static Double mean(List<SuiteScore> scores, Predicate<SuiteScore> which) {
        List<SuiteScore> chosen = scores.stream().filter(which).toList();
        return chosen.isEmpty() ? null : chosen.stream().mapToDouble(SuiteScore::accuracy).sum() / chosen.size();
    }
}
