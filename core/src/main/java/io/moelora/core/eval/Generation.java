package io.moelora.core.eval;

/**
 * A model's output for one suite item, as decoded text.
 *
 * @param index the item's index in the suite (0-based)
 * @param text the decoded text: prompt followed by the continuation, as the reference decodes it; a
 *     text without "### Response:" is taken to be the response itself (see
 *     {@link io.moelora.core.eval.extract.ResponseText#of})
 */
public record Generation(int index, String text) {

    public Generation {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (text == null) {
            throw new IllegalArgumentException("generation " + index + ": text must not be null");
        }
    }
}
