package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What every layer of one forward call shares: rotary tables for this call's positions and the
 * additive attention mask (causal + padding). Built from plain Java arrays, per call.
 */
final class AttentionContext {

    /** Large but finite: a fully masked (padding) row stays finite instead of turning into NaN. */
    private static final float MASKED = -1e9f;

    final NDArray cos; // (B, T, 1, hd), RotaryEmbedding's layout
    final NDArray sin; // (B, T, 1, hd)
    final NDArray queryCos; // (B, T, 1, hd): cos / √hd, for the queries
    final NDArray querySin; // (B, T, 1, hd): sin / √hd
    final NDArray mask; // (B, 1, 1, T, S) additive: 0 visible, MASKED hidden

    private AttentionContext(NDArray cos, NDArray sin, float queryScale, NDArray mask) {
        this.cos = cos;
        this.sin = sin;
        this.queryCos = cos.mul(queryScale);
        this.querySin = sin.mul(queryScale);
        this.mask = mask;
    }

    /**
     * @param batch the new tokens (B, T)
     * @param cache earlier positions, or null for a full forward
     */
    static AttentionContext build(NDManager manager, RotaryEmbedding rope, TokenBatch batch, KvCache cache) {
        int b = batch.batchSize();
        int t = batch.length();
        int past = cache == null ? 0 : cache.length();
        boolean[][] pastValid = cache == null ? new boolean[b][0] : cache.validity();
        long[] seen = cache == null ? new long[b] : cache.seen();
        int s = past + t;

        long[] positions = new long[b * t]; // (B, T)
        float[] mask = new float[b * t * s]; // (B, T, S)
        for (int row = 0; row < b; row++) {
            boolean[] keyValid = new boolean[s];
            System.arraycopy(pastValid[row], 0, keyValid, 0, past);
            System.arraycopy(batch.valid()[row], 0, keyValid, past, t);
            long position = seen[row];
            for (int q = 0; q < t; q++) {
                positions[row * t + q] = position;
                if (batch.valid()[row][q]) {
                    position++;
                }
                int base = (row * t + q) * s;
                for (int k = 0; k < s; k++) {
                    mask[base + k] = (k <= past + q && keyValid[k]) ? 0f : MASKED;
                }
            }
        }
        NDList angles = rope.angles(manager.create(positions, new Shape(b, t)));
        NDArray maskArray = manager.create(mask, new Shape(b, 1, 1, t, s));
        return new AttentionContext(angles.get(0), angles.get(1), (float) (1.0 / Math.sqrt(rope.headDim())), maskArray);
    }
}
