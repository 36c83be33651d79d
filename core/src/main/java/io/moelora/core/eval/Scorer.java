package io.moelora.core.eval;

import io.moelora.core.eval.extract.Graded;
import io.moelora.core.eval.extract.Grader;
import io.moelora.core.eval.extract.ResponseText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Scores generations against a suite exactly as docs/PROTOCOL.md says: cut the response, extract with
 * the named extractor, compare with the gold answer. Every item must have exactly one generation, so
 * a score is always over the whole suite.
 */
public final class Scorer {

    private static final int LISTED = 20; // indices named in an error before "..."

    private Scorer() {}

    /** Scores with the suite's reference extractor. */
    public static SuiteScore score(Suite suite, List<Generation> generations) {
        return score(suite, generations, suite.spec().extractor().name());
    }

    /**
     * Scores with the named extractor (the reference one or one of the suite's alternatives).
     *
     * @throws IllegalArgumentException for an extractor that does not apply to the suite, an index out
     *     of range, an index given twice, or items without a generation (named)
     */
    public static SuiteScore score(Suite suite, List<Generation> generations, String extractor) {
        SuiteSpec spec = suite.spec();
        Grader grader = spec.grader(extractor);
        Generation[] byIndex = byIndex(suite, generations);
        List<ItemScore> items = new ArrayList<>(suite.size());
        int correct = 0;
        for (SuiteItem item : suite.items()) {
            String response = ResponseText.of(byIndex[item.index()].text());
            Graded g = grader.grade(response, item.gold());
            items.add(new ItemScore(item.index(), response, g.prediction(), item.gold(), g.correct()));
            correct += g.correct() ? 1 : 0;
        }
        return new SuiteScore(spec.name(), spec.family(), spec.version(), extractor, EvalProtocol.VERSION,
                suite.size(), correct, SuiteScore.accuracy(correct, suite.size()), items);
    }

    /** Scores with the reference extractor first, then each alternative, for side-by-side columns. */
    public static List<SuiteScore> scoreAllExtractors(Suite suite, List<Generation> generations) {
        return suite.spec().extractorNames().stream().map(e -> score(suite, generations, e)).toList();
    }

    private static Generation[] byIndex(Suite suite, List<Generation> generations) {
        int n = suite.size();
        Generation[] byIndex = new Generation[n];
        for (Generation g : generations) {
            if (g.index() >= n) {
                throw new IllegalArgumentException("index " + g.index() + " is out of range: suite " + suite.spec().name()
                        + " has items 0.." + (n - 1));
            }
            if (byIndex[g.index()] != null) {
                throw new IllegalArgumentException("index " + g.index() + " has more than one prediction");
            }
            byIndex[g.index()] = g;
        }
        List<Integer> missing = IntStream.range(0, n).filter(i -> byIndex[i] == null).boxed().toList();
        if (!missing.isEmpty()) {
            String listed = missing.stream().limit(LISTED).map(String::valueOf).collect(Collectors.joining(", "));
            throw new IllegalArgumentException("no prediction for " + missing.size() + " of " + n + " items of suite "
                    + suite.spec().name() + ": " + listed + (missing.size() > LISTED ? ", ..." : ""));
        }
        return byIndex;
    }
}
