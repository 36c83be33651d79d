package io.moelora.core.model;

import ai.djl.ndarray.NDArray;

/** {@code y = w * x / sqrt(mean(x^2) + eps)} over the last axis. */
public final class RmsNorm {

    private final NDArray weight; // (D)
    private final NDArray eps; // () scalar kept alive with the weights (no NDArray.op(Number) in autograd paths)

    public RmsNorm(NDArray weight, NDArray eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** @param x shape (..., D); returns the same shape in x's manager. */
    public NDArray forward(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true); // (..., 1)
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }
}
