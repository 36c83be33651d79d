package io.moelora.core.model;

import java.util.List;

/**
 * Token ids of a batch, left-padded to a common length, with a validity flag per position.
 *
 * @param ids shape (B, T)
 * @param valid shape (B, T): false marks padding
 */
public record TokenBatch(long[][] ids, boolean[][] valid) {

    public TokenBatch {
        if (ids.length == 0 || ids.length != valid.length) {
            throw new IllegalArgumentException("ids and valid must have the same non-zero batch size");
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != ids[0].length || valid[b].length != ids[0].length) {
                throw new IllegalArgumentException("row " + b + " length differs from row 0");
            }
        }
    }

    /** Left-pads sequences of different lengths with {@code padId}. */
    public static TokenBatch leftPadded(List<int[]> sequences, int padId) {
        int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        if (width == 0) {
            throw new IllegalArgumentException("every sequence is empty: at least one token is needed");
        }
        long[][] ids = new long[sequences.size()][width];
        boolean[][] valid = new boolean[sequences.size()][width];
        for (int b = 0; b < sequences.size(); b++) {
            int[] seq = sequences.get(b);
            int pad = width - seq.length;
            for (int t = 0; t < width; t++) {
                ids[b][t] = t < pad ? padId : seq[t - pad];
                valid[b][t] = t >= pad;
            }
        }
        return new TokenBatch(ids, valid);
    }

    /** One new token per row (a decoding step). */
    public static TokenBatch column(long[] next) {
        long[][] ids = new long[next.length][1];
        boolean[][] valid = new boolean[next.length][1];
        for (int b = 0; b < next.length; b++) {
            ids[b][0] = next[b];
            valid[b][0] = true;
        }
        return new TokenBatch(ids, valid);
    }

    public int batchSize() {
        return ids.length;
    }

    public int length() {
        return ids[0].length;
    }
}
