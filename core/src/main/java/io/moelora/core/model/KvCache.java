package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.Slices;
import java.util.Arrays;

/**
 * Per-call key/value cache: one per generation, never shared. Arrays live in the caller's
 * manager so they outlive each step's sub-manager. Each layer's keys and values sit in a buffer
 * with room to spare that a step writes into in place: appending by concatenation copied the
 * whole cache every token, which made batched decoding memory-bound (O(S²) bytes per row).
 */
public final class KvCache implements AutoCloseable {

    /** Positions allocated beyond the first call's; the buffer then doubles when full. */
    private static final int HEADROOM = 64;

    private final NDManager owner;
    private final NDArray[] keys; // per layer (B, KV, C, hd), C >= S: positions [0, S) hold data
    private final NDArray[] values; // per layer (B, KV, C, hd)
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
        int start = length(); // advance() runs after every layer has appended
        int end = start + (int) k.getShape().get(2);
        keys[layer] = write(keys[layer], k, start, end);
        values[layer] = write(values[layer], v, start, end);
        // views into the buffers, owned by the step: nothing is copied
        NDArray keyView = Slices.range(keys[layer], 2, 0, end); // (B, KV, S+T, hd)
        NDArray valueView = Slices.range(values[layer], 2, 0, end);
        keyView.attach(k.getManager());
        valueView.attach(v.getManager());
        return new NDArray[] {keyView, valueView};
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
            NDArray picked = array.get(owner, new NDIndex("{}", tmp.create(rows)));
            array.close();
            return picked;
        }
    }

    /**
     * Writes {@code fresh} (B, KV, T, hd) at positions [start, end) of {@code buffer} (B, KV, C, hd),
     * first moving the cache into a larger buffer when C < end.
     */
    private NDArray write(NDArray buffer, NDArray fresh, int start, int end) {
        long capacity = buffer == null ? 0 : buffer.getShape().get(2);
        if (capacity < end) {
            Shape shape = fresh.getShape();
            long grown = Math.max(end + HEADROOM, 2 * capacity);
            NDArray larger = owner.zeros(new Shape(shape.get(0), shape.get(1), grown, shape.get(3)), fresh.getDataType());
            if (buffer != null) {
                NDIndex held = new NDIndex(":, :, :{}, :", start);
                try (NDManager tmp = owner.newSubManager()) {
                    larger.set(held, buffer.get(tmp, held));
                }
                buffer.close();
            }
            buffer = larger;
        }
        buffer.set(new NDIndex(":, :, {}:{}, :", start, end), fresh);
        return buffer;
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
