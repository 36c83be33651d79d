package io.moelora.core.eval.extract;

import java.util.function.UnaryOperator;

/** Label judging (AQuA letters, commonsense labels): correct iff the prediction equals the gold exactly. */
public final class LabelGrader implements Grader {

    private final UnaryOperator<String> extractor;

    public LabelGrader(UnaryOperator<String> extractor) {
        this.extractor = extractor;
    }

    @Override
    public Graded grade(String response, String gold) {
        String predicted = extractor.apply(response);
        return new Graded(predicted, predicted.equals(gold));
    }
}
