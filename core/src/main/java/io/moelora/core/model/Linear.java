package io.moelora.core.model;

import ai.djl.ndarray.NDArray;

/** A frozen linear projection {@code y = x W^T (+ b)} with PyTorch's (out, in) weight layout. */
public final class Linear implements Projection {

    private final NDArray weightT; // (in, out): transposed once so activations stay the left operand
    private final NDArray bias; // (out) or null
    private final int in;
    private final int out;

    /**
     * @param weight shape (out, in), as stored in checkpoints
     * @param bias shape (out), or null
     */
    public Linear(NDArray weight, NDArray bias) {
        // A transposed view made once in the weights' manager: per-call transposes would attach new
        // handles to the long-lived manager (DJL puts a result in its left operand's manager).
        this(weight.transpose(), bias, true);
    }

    private Linear(NDArray weightT, NDArray bias, boolean transposed) {
        this.in = Math.toIntExact(weightT.getShape().get(0));
        this.out = Math.toIntExact(weightT.getShape().get(1));
        this.weightT = weightT;
        this.bias = bias;
    }

    /** A projection from a weight already in (in, out) layout. */
    public static Linear fromTransposed(NDArray weightT, NDArray bias) {
        return new Linear(weightT, bias, true);
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = x.matMul(weightT); // (..., out)
        return bias == null ? y : y.add(bias);
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    /** The frozen weight, shape (in, out) (a transposed view of the checkpoint tensor). */
    public NDArray weightTransposed() {
        return weightT;
    }
}
