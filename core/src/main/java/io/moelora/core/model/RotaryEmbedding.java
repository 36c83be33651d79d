package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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

    /**
     * Cosine and sine tables for the given positions.
     *
     * @param positions shape (B, T), int64 or float
     * @return {cos, sin}, each shape (B, T, 1, headDim/2), in positions' manager
     */
    public NDList angles(NDArray positions) {
        NDManager manager = positions.getManager();
        NDArray freq = manager.create(invFreq); // (headDim/2)
        NDArray angle = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(freq); // (B, T, headDim/2)
        angle = angle.expandDims(2); // (B, T, 1, headDim/2)
        return new NDList(angle.cos(), angle.sin());
    }

    /**
     * @param x shape (B, T, heads, headDim)
     * @param cos shape (B, T, 1, headDim/2)
     * @param sin shape (B, T, 1, headDim/2)
     * @return rotated x, same shape
     */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        Shape shape = x.getShape();
        int half = headDim / 2;
        if (layout == RopeLayout.INTERLEAVED) {
            NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), half, 2); // (B, T, h, hd/2, 2)
            NDArray x0 = pairs.get(new NDIndex("..., 0")); // (B, T, h, hd/2)
            NDArray x1 = pairs.get(new NDIndex("..., 1"));
            NDArray r0 = x0.mul(cos).sub(x1.mul(sin));
            NDArray r1 = x0.mul(sin).add(x1.mul(cos));
            return r0.stack(r1, -1).reshape(shape); // (B, T, h, hd)
        }
        NDArray x1 = x.get(new NDIndex("..., :" + half)); // (B, T, h, hd/2)
        NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
        NDArray r1 = x1.mul(cos).sub(x2.mul(sin));
        NDArray r2 = x2.mul(cos).add(x1.mul(sin));
        return r1.concat(r2, -1); // (B, T, h, hd)
    }
}
