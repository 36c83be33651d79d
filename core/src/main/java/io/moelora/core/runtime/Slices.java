package io.moelora.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Basic slicing along one axis as a view, through libtorch's own slice op. On the PyTorch engine
 * {@code NDArray.get(NDIndex)} always builds an advanced index (a tensor-index list filled by one
 * native call per dimension, then indexed and freed), even for plain ranges: in a decoding step its
 * slices of the key/value cache and the rotary halves took about 8 % of the time.
 */
public final class Slices {

    private Slices() {}

    /**
     * @param a any shape
     * @param axis the sliced axis, negative counts from the end
     * @return a view of positions [start, end) along {@code axis}, in a's manager; differentiable
     */
    public static NDArray range(NDArray a, int axis, long start, long end) {
        int dims = a.getShape().dimension();
        int ax = axis < 0 ? axis + dims : axis;
        if (a instanceof PtNDArray pt) {
            return JniUtils.slice(pt, ax, start, end, 1);
        }
        StringBuilder spec = new StringBuilder();
        for (int d = 0; d < dims; d++) {
            spec.append(d == 0 ? "" : ", ").append(d == ax ? start + ":" + end : ":");
        }
        return a.get(new NDIndex(spec.toString()));
    }
}
