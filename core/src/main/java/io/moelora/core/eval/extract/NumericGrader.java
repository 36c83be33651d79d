package io.moelora.core.eval.extract;

import java.util.function.ToDoubleFunction;

/**
 * Numeric judging: correct iff |gold − prediction| ≤ {@value #TOLERANCE}, with the gold read by
 * Python's {@code float()}. An infinite prediction (no number found) is never correct.
 */
public final class NumericGrader implements Grader {

    /** The reference tolerance ({@code miss = 0.001}). */
    public static final double TOLERANCE = 0.001;

    private final ToDoubleFunction<String> extractor;

    public NumericGrader(ToDoubleFunction<String> extractor) {
        this.extractor = extractor;
    }

    @Override
    public Graded grade(String response, String gold) {
        double predicted = extractor.applyAsDouble(response);
        double expected = PythonFloat.parse(gold);
        return new Graded(PythonFloat.repr(predicted), Math.abs(expected - predicted) <= TOLERANCE);
    }
}
