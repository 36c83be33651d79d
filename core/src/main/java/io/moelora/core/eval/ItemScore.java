package io.moelora.core.eval;

/**
 * One item's result, kept for audit.
 *
 * @param index the item's index in the suite
 * @param response the response text the extractor read (after the "### Response:" cut)
 * @param prediction what the extractor read: a label, "" for none, or a number in Python's
 *     {@code repr} ({@code inf} for none)
 * @param gold the item's gold answer
 * @param correct whether the prediction counts as correct
 */
public record ItemScore(int index, String response, String prediction, String gold, boolean correct) {

    public ItemScore {
        if (index < 0 || response == null || prediction == null || gold == null) {
            throw new IllegalArgumentException("item score needs index >= 0, response, prediction and gold");
        }
    }
}
