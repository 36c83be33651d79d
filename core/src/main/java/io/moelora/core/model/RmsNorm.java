package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import io.moelora.core.runtime.Intermediates;

/** {@code y = w * x * rsqrt(mean(x^2) + eps)} over the last axis. */
public final class RmsNorm {

    private final NDArray weight; // (D)
    private final NDArray eps; // () scalar kept alive with the weights (no NDArray.op(Number) in autograd paths)
    private final NDArray minusHalf; // () -0.5, kept alive with the weights like eps

    public RmsNorm(NDArray weight, NDArray eps) {
        this.weight = weight;
        this.eps = eps;
        this.minusHalf = eps.getManager().create(-0.5f);
    }

    /** @param x shape (..., D); returns the same shape in x's manager. */
    public NDArray forward(NDArray x) {
        NDArray square = x.square(); // (..., D)
        NDArray meanSquare = square.mean(new int[] {-1}, true); // (..., 1)
        Intermediates.free(square);
        // x times rsqrt taken on the (..., 1) statistic, as the reference does: the backward of a broadcast
        // product is two full-size ops, that of x / sqrt(...) five (g/d, and -g·x/d² from two divides, a
        // product and a negation). Operands that live in the weights' manager come second: a result is
        // attached to its first operand's manager, and per-step arrays must not land in the weights'.
        NDArray shifted = meanSquare.add(eps); // (..., 1)
        NDArray inverseRms = shifted.pow(minusHalf); // (..., 1)
        NDArray normed = x.mul(inverseRms); // (..., D)
        // in place: a frozen weight's product saves only the weight for the backward, not normed (with a
        // trainable weight, base pretraining, libtorch keeps normed's values itself: RmsNormGradientTest)
        NDArray y = normed.muli(weight); // (..., D), normed itself
        Intermediates.free(meanSquare, shifted, inverseRms);
        return y;
    }
}
