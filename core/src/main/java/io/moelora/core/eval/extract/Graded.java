package io.moelora.core.eval.extract;

/**
 * One response judged against its gold answer.
 *
 * @param prediction what the extractor read, as text: a label, "" for none, or a number as Python's
 *     {@code repr} prints it ({@code 8.0}, {@code inf} for none)
 * @param correct whether it counts as correct under the protocol
 */
public record Graded(String prediction, boolean correct) {

    public Graded {
        if (prediction == null) {
            throw new IllegalArgumentException("prediction must not be null (use \"\" for no prediction)");
        }
    }
}
