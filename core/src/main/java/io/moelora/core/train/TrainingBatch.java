package io.moelora.core.train;

import io.moelora.core.model.TokenBatch;
import java.util.List;

/**
 * A left-padded micro-batch with its training targets.
 *
 * @param tokens ids and padding mask, (B, T)
 * @param targets (B, T): false on padding and on non-target tokens
 */
public record TrainingBatch(TokenBatch tokens, boolean[][] targets) {

    public static TrainingBatch collate(List<TokenizedExample> examples, int padId) {
        TokenBatch tokens = TokenBatch.leftPadded(examples.stream().map(TokenizedExample::ids).toList(), padId);
        boolean[][] targets = new boolean[examples.size()][tokens.length()];
        for (int b = 0; b < examples.size(); b++) {
            boolean[] t = examples.get(b).targets();
            System.arraycopy(t, 0, targets[b], tokens.length() - t.length, t.length);
        }
        return new TrainingBatch(tokens, targets);
    }

    /** Non-padding tokens. */
    public int tokenCount() {
        int n = 0;
        for (boolean[] row : tokens.valid()) {
            for (boolean v : row) {
                n += v ? 1 : 0;
            }
        }
        return n;
    }
}
