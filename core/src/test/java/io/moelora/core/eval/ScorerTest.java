package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Scoring whole suites: cut, extract, compare, and the coverage checks. */
class ScorerTest {

    private static final SuiteRegistry REGISTRY = SuiteRegistry.standard();

    private static Suite suite(String name, String... golds) {
        List<SuiteExample> examples = IntStream.range(0, golds.length)
                .mapToObj(i -> new SuiteExample("question " + i, "", "", golds[i])).toList();
        return Suite.of(REGISTRY.get(name), examples, "inline");
    }

    private static Generation decoded(Suite suite, int index, String continuation) {
        return new Generation(index, suite.items().get(index).prompt() + continuation);
    }

    @Test
    void scoresNumericSuitesWithTheReferenceExtractor() {
        Suite gsm = suite("gsm8k", "4", "576.0", "0.6666666666666666", "12");
        SuiteScore score = Scorer.score(gsm, List.of(
                decoded(gsm, 0, "2 + 2 = 4. The answer is 4.</s>"),
                decoded(gsm, 1, "The answer is 576"),
                decoded(gsm, 2, "The answer is 0.6667\n### Response: The answer is 3"),
                decoded(gsm, 3, "I cannot tell")));
        assertThat(score.suite()).isEqualTo("gsm8k");
        assertThat(score.family()).isEqualTo(Family.MATH);
        assertThat(score.extractor()).isEqualTo("numeric");
        assertThat(score.protocolVersion()).isEqualTo(EvalProtocol.VERSION);
        assertThat(score.suiteVersion()).isEqualTo("1");
        assertThat(score.n()).isEqualTo(4);
        assertThat(score.correct()).isEqualTo(3);
        assertThat(score.accuracy()).isEqualTo(75.0);
        assertThat(score.items()).extracting(ItemScore::prediction).containsExactly("4.0", "576.0", "0.6667", "inf");
        assertThat(score.items().get(2).response()).isEqualTo("The answer is 0.6667");
        assertThat(score.items().get(3)).isEqualTo(new ItemScore(3, "I cannot tell", "inf", "12", false));
    }

    @Test
    void alternativeExtractorsAreScoredBesideTheReference() {
        Suite aqua = suite("AQuA", "D", "A");
        List<Generation> generations = List.of(new Generation(0, "Answer: (D)"), new Generation(1, "Answer: (C)"));
        List<SuiteScore> scores = Scorer.scoreAllExtractors(aqua, generations);
        assertThat(scores).extracting(SuiteScore::extractor).containsExactly("aqua", "aqua-fixed");
        // the reference reads the "A" of "Answer" for both items
        assertThat(scores.get(0).items()).extracting(ItemScore::prediction).containsExactly("A", "A");
        assertThat(scores.get(0).correct()).isEqualTo(1);
        assertThat(scores.get(1).items()).extracting(ItemScore::prediction).containsExactly("D", "C");
        assertThat(scores.get(1).correct()).isEqualTo(1);
    }

    @Test
    void accuracyIsCorrectOverNTimesHundred() {
        Suite boolq = suite("boolq", "true", "false", "true");
        SuiteScore score = Scorer.score(boolq, List.of(new Generation(2, "true"), new Generation(0, "true"),
                new Generation(1, "true")));
        assertThat(score.correct()).isEqualTo(2);
        assertThat(score.accuracy()).isEqualTo(2.0 / 3 * 100);
        assertThat(score.items()).extracting(ItemScore::index).containsExactly(0, 1, 2);
    }

    @Test
    void coverageErrorsAreNamed() {
        Suite boolq = suite("boolq", "true", "false", "true");
        assertThatThrownBy(() -> Scorer.score(boolq, List.of(new Generation(0, "true"), new Generation(3, "true"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 3 is out of range")
                .hasMessageContaining("0..2");
        assertThatThrownBy(() -> Scorer.score(boolq, List.of(new Generation(1, "true"), new Generation(1, "false"))))
                .hasMessageContaining("index 1 has more than one prediction");
        assertThatThrownBy(() -> Scorer.score(boolq, List.of(new Generation(1, "true"))))
                .hasMessageContaining("no prediction for 2 of 3 items of suite boolq: 0, 2");
        assertThatThrownBy(() -> Scorer.score(boolq, List.of(), "aqua"))
                .hasMessageContaining("extractor 'aqua' does not apply to suite boolq");
    }

    @Test
    void aggregatesAverageSuitesPerFamily() {
        Suite gsm = suite("gsm8k", "1", "2");
        Suite aqua = suite("AQuA", "A", "B");
        Suite boolq = suite("boolq", "true", "false", "true", "false");
        SuiteScore s1 = Scorer.score(gsm, List.of(new Generation(0, "1"), new Generation(1, "2")));
        SuiteScore s2 = Scorer.score(aqua, List.of(new Generation(0, "A"), new Generation(1, "A")));
        SuiteScore s3 = Scorer.score(boolq, List.of(new Generation(0, "true"), new Generation(1, "true"),
                new Generation(2, "x"), new Generation(3, "x")));
        Aggregates a = Aggregates.of(List.of(s1, s2, s3));
        assertThat(a.mathAverage()).isEqualTo(75.0);
        assertThat(a.commonsenseAverage()).isEqualTo(25.0);
        assertThat(a.overallAverage()).isEqualTo((100.0 + 50.0 + 25.0) / 3);
        Aggregates mathOnly = Aggregates.of(List.of(s1));
        assertThat(mathOnly.commonsenseAverage()).isNull();
        assertThat(mathOnly.overallAverage()).isEqualTo(100.0);
        assertThatThrownBy(() -> Aggregates.of(List.of(s1, s1))).hasMessageContaining("one score per suite");
    }

    @Test
    void scoreRecordsRejectInconsistentCounts() {
        ItemScore right = new ItemScore(0, "r", "true", "true", true);
        assertThatThrownBy(() -> new SuiteScore("boolq", Family.COMMONSENSE, "1", "commonsense", EvalProtocol.VERSION,
                1, 0, 0.0, List.of(right))).hasMessageContaining("correct must equal");
        assertThatThrownBy(() -> new SuiteScore("boolq", Family.COMMONSENSE, "1", "commonsense", EvalProtocol.VERSION,
                2, 1, 50.0, List.of(right))).hasMessageContaining("n must equal");
    }
}
