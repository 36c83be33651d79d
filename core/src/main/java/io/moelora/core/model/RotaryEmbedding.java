package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.Intermediates;

/**
 * Rotary position embeddings in either pairing layout. Angles are computed per call from explicit
 * positions, so left-padded rows get the same positions as the unpadded sequence would.
 */
public final class RotaryEmbedding {

    private final RopeLayout layout;
    private final int headDim;
    private final float[] invFreq; // (headDim/2)

    public RotaryEmbedding(RopeLayout layout, int headDim, float theta) {
        this.layout = layout;
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int j = 0; j < invFreq.length; j++) {
            // float32 like llama2.c's powf and HF's float tensor pow
            invFreq[j] = (float) (1.0 / Math.pow(theta, (2.0 * j) / headDim));
        }
    }

    public int headDim() {
        return headDim;
    }

    /**
     * Cosine and sine tables for the given positions, laid out so that {@link #apply} is
     * {@code x · cos + swap(x) · sin}: each pair (a, b) the layout rotates together turns into
     * (a·c − b·s, b·c + a·s), so the sine table carries −s at a's place and s at b's, and swap(x) puts b
     * at a's place and a at b's. Built once per forward call and shared by every layer's q and k: a
     * rotation is then 4 tensor operations instead of 8 (the decoding step and the backward pass each
     * run them per layer).
     *
     * @param positions shape (B, T), int64 or float
     * @return {cos, sin}, each shape (B, T, 1, headDim), in positions' manager
     */
    public NDList angles(NDArray positions) {
        NDManager manager = positions.getManager();
        NDArray freq = manager.create(invFreq); // (headDim/2)
        NDArray angle = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(freq); // (B, T, headDim/2)
        angle = angle.expandDims(2); // (B, T, 1, headDim/2)
        NDArray cos = angle.cos(); // (B, T, 1, headDim/2)
        NDArray sin = angle.sin();
        Shape full = new Shape(angle.getShape().get(0), angle.getShape().get(1), 1, headDim);
        if (layout == RopeLayout.INTERLEAVED) {
            // pairs (2j, 2j+1): c_j c_j and -s_j s_j side by side
            return new NDList(cos.stack(cos, -1).reshape(full), sin.neg().stack(sin, -1).reshape(full));
        }
        // pairs (j, j + hd/2): the halves
        return new NDList(cos.concat(cos, -1), sin.neg().concat(sin, -1)); // (B, T, 1, headDim) each
    }

    /**
     * @param x shape (B, T, heads, headDim)
     * @param cos shape (B, T, 1, headDim), from {@link #angles}
     * @param sin shape (B, T, 1, headDim), from {@link #angles}
     * @return rotated x, same shape
     */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        Shape shape = x.getShape();
        // swap(x) as one flip over a size-2 axis: its backward is one flip too, where swapping the halves
        // with two slices and a concat costs a zero-filled full-size gradient per slice in the backward
        Shape pairs = layout == RopeLayout.INTERLEAVED
                ? new Shape(shape.get(0), shape.get(1), shape.get(2), headDim / 2, 2) // pairs (2j, 2j+1)
                : new Shape(shape.get(0), shape.get(1), shape.get(2), 2, headDim / 2); // pairs (j, j + hd/2)
        int axis = layout == RopeLayout.INTERLEAVED ? -1 : -2;
        NDArray paired = x.reshape(pairs);
        NDArray flipped = paired.flip(axis);
        NDArray swapped = flipped.reshape(shape); // (B, T, h, hd)
        NDArray straight = x.mul(cos); // (B, T, h, hd)
        NDArray crossed = swapped.mul(sin); // (B, T, h, hd)
        // in place: the products' backward needs the tables and swap(x), not the products
        NDArray rotated = straight.addi(crossed); // (B, T, h, hd), straight itself
        Intermediates.free(paired, flipped, swapped, crossed);
        return rotated;
    }
}
