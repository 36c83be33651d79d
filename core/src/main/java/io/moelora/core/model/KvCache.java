package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Per-call key/value cache: one per generation, never shared. Arrays live in the caller's
 * manager so they outlive each step's sub-manager.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager owner;
    private final NDArray[] keys; // per layer (B, KV, S, hd)
    private final NDArray[] values; // per layer (B, KV, S, hd)
    private boolean[][] valid; // (B, S): false for padding
    private long[] seen; // (B): valid tokens so far, the next position per row

    public KvCache(NDManager owner, int layers, int batchSize) {
        this.owner = owner;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.valid = new boolean[batchSize][0];
        this.seen = new long[batchSize];
    }

    /** Cached length S. */
    public int length() {
        return valid[0].length;
    }

    boolean[][] validity() {
        return valid;
    }

    long[] seen() {
        return seen;
    }

    /**
     * Appends this step's keys and values for one layer and returns the full cached tensors.
     *
     * @param k shape (B, KV, T, hd)
     * @param v shape (B, KV, T, hd)
     * @return {keys, values}, each (B, KV, S+T, hd)
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = merge(keys[layer], k);
        values[layer] = merge(values[layer], v);
        return new NDArray[] {keys[layer], values[layer]};
    }

    /** Records the validity of the positions appended by the last forward call. */
    void advance(TokenBatch batch) {
        boolean[][] next = new boolean[valid.length][];
        for (int b = 0; b < valid.length; b++) {
            next[b] = Arrays.copyOf(valid[b], valid[b].length + batch.length());
            for (int t = 0; t < batch.length(); t++) {
                next[b][valid[b].length + t] = batch.valid()[b][t];
                if (batch.valid()[b][t]) {
                    seen[b]++;
                }
            }
        }
        valid = next;
    }

    /**
     * Keeps rows {@code rows} (in that order, repeats allowed): beam search follows the surviving
     * beams. Works on an empty cache too (only the bookkeeping changes).
     */
    public void reorder(long[] rows) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l] = select(keys[l], rows);
                values[l] = select(values[l], rows);
            }
        }
        boolean[][] v = new boolean[rows.length][];
        long[] s = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = valid[(int) rows[i]].clone();
            s[i] = seen[(int) rows[i]];
        }
        valid = v;
        seen = s;
    }

    private NDArray select(NDArray array, long[] rows) {
        try (NDManager tmp = owner.newSubManager()) {
            NDArray picked = array.get(owner, new ai.djl.ndarray.index.NDIndex("{}", tmp.create(rows)));
            array.close();
            return picked;
        }
    }

    private NDArray merge(NDArray old, NDArray fresh) {
        NDArray merged = old == null ? fresh.duplicate() : old.concat(fresh, 2);
        merged.attach(owner);
        if (old != null) {
            old.close();
        }
        return merged;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
            }
        }
    }
}
