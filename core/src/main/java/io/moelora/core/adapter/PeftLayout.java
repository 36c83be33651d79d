package io.moelora.core.adapter;

/**
 * How a parameter's compute layout maps to its checkpoint (PEFT) layout. Parameters are kept in the
 * layout that lets activations stay the left operand of every matMul (DJL puts a result in its left
 * operand's manager), and are permuted only when saved or loaded.
 */
public enum PeftLayout {
    /** compute (a, b) ↔ checkpoint (b, a). */
    TRANSPOSE,
    /** compute (d_in, N*r), expert n in columns [n*r, (n+1)*r) ↔ checkpoint (N, r, d_in). */
    STACKED_COLUMNS,
    /** compute (N*r, d_out), expert n in rows [n*r, (n+1)*r) ↔ checkpoint (N, d_out, r). */
    STACKED_ROWS;

    /**
     * @param compute values in compute layout, row-major
     * @param peftShape the checkpoint shape: (b, a) for TRANSPOSE, (N, r, d_in) or (N, d_out, r) for stacked
     * @return values in checkpoint layout, row-major
     */
    public float[] toPeft(float[] compute, long[] peftShape) {
        float[] out = new float[compute.length];
        permute(compute, out, peftShape, true);
        return out;
    }

    /** Inverse of {@link #toPeft}. */
    public float[] fromPeft(float[] peft, long[] peftShape) {
        float[] out = new float[peft.length];
        permute(peft, out, peftShape, false);
        return out;
    }

    /** The compute-layout shape for a checkpoint shape. */
    public long[] computeShape(long[] peftShape) {
        return switch (this) {
            case TRANSPOSE -> new long[] {peftShape[1], peftShape[0]};
            case STACKED_COLUMNS -> new long[] {peftShape[2], peftShape[0] * peftShape[1]};
            case STACKED_ROWS -> new long[] {peftShape[0] * peftShape[2], peftShape[1]};
        };
    }

    private void permute(float[] src, float[] dst, long[] s, boolean toPeft) {
        switch (this) {
            case TRANSPOSE -> {
                int rows = (int) s[0]; // checkpoint (rows, cols), compute (cols, rows)
                int cols = (int) s[1];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int peft = i * cols + j;
                        int compute = j * rows + i;
                        move(src, dst, peft, compute, toPeft);
                    }
                }
            }
            case STACKED_COLUMNS -> {
                int n = (int) s[0];
                int r = (int) s[1];
                int d = (int) s[2];
                for (int e = 0; e < n; e++) {
                    for (int k = 0; k < r; k++) {
                        for (int c = 0; c < d; c++) {
                            move(src, dst, (e * r + k) * d + c, c * (n * r) + e * r + k, toPeft);
                        }
                    }
                }
            }
            case STACKED_ROWS -> {
                int n = (int) s[0];
                int d = (int) s[1];
                int r = (int) s[2];
                for (int e = 0; e < n; e++) {
                    for (int o = 0; o < d; o++) {
                        for (int k = 0; k < r; k++) {
                            move(src, dst, (e * d + o) * r + k, (e * r + k) * d + o, toPeft);
                        }
                    }
                }
            }
        }
    }

    private static void move(float[] src, float[] dst, int peft, int compute, boolean toPeft) {
        if (toPeft) {
            dst[peft] = src[compute];
        } else {
            dst[compute] = src[peft];
        }
    }
}
