package io.moelora.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.Intermediates;

/**
 * Next-token cross-entropy, token-weighted over the batch: position t predicts token t+1, counted
 * when that token is a target ({@code targets[b][t+1]}) and position t is not padding (a prediction
 * made from padding is meaningless).
 */
public final class LanguageModelLoss {

    private LanguageModelLoss() {}

    /**
     * @param logits shape (B, T, V)
     * @param batch the input tokens (B, T) and their padding mask
     * @param targets (B, T): whether each token is a training target (e.g. false on the prompt when
     *     training on responses only, and on padding)
     * @return the mean loss, a scalar; 0 when nothing is counted
     */
    public static NDArray compute(NDArray logits, TokenBatch batch, boolean[][] targets) {
        NDManager manager = logits.getManager();
        int b = batch.batchSize();
        int t = batch.length();
        if (t < 2) {
            return manager.zeros(new Shape());
        }
        // position p predicts token p + 1; the last position predicts nothing and weighs 0. Log-softmax over
        // all T positions of the contiguous logits: a (T-1)-slice would be copied for the op and its
        // gradient zero-padded back to T positions in the backward (three passes over B·T·V)
        long[] next = new long[b * t]; // (B, T, 1), 0 at the last position
        float[] weight = new float[b * t]; // (B, T, 1)
        int counted = 0;
        for (int r = 0; r < b; r++) {
            for (int p = 0; p < t - 1; p++) {
                next[r * t + p] = batch.ids()[r][p + 1];
                if (targets[r][p + 1] && batch.valid()[r][p] && batch.valid()[r][p + 1]) {
                    weight[r * t + p] = 1f;
                    counted++;
                }
            }
        }
        if (counted == 0) {
            return manager.zeros(new Shape());
        }
        for (int i = 0; i < weight.length; i++) {
            weight[i] /= counted;
        }
        NDArray logProbs = logits.logSoftmax(-1); // (B, T, V)
        NDArray index = manager.create(next, new Shape(b, t, 1));
        NDArray picked = logProbs.gather(index, 2); // (B, T, 1)
        NDArray weights = manager.create(weight, new Shape(b, t, 1));
        NDArray weighted = picked.mul(weights); // (B, T, 1)
        NDArray sum = weighted.sum(); // ()
        NDArray loss = sum.neg(); // ()
        // index and weights hold Java-side data the backward still reads: they stay with the manager
        Intermediates.free(logProbs, picked, weighted, sum);
        return loss;
    }

    /** Number of counted positions (for token-weighted averaging across batches). */
    public static int countedTokens(TokenBatch batch, boolean[][] targets) {
        int counted = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            for (int p = 0; p + 1 < batch.length(); p++) {
                if (targets[r][p + 1] && batch.valid()[r][p] && batch.valid()[r][p + 1]) {
                    counted++;
                }
            }
        }
        return counted;
    }
}
