package io.moelora.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Per-call hook around the frozen projections. Adapters live here rather than inside the model, so
 * one loaded base model serves many jobs at once, each passing its own adapters to each call.
 */
@FunctionalInterface
public interface Adapters {

    /** No adapters: the frozen base model. */
    Adapters NONE = (layer, module, base, x) -> base.forward(x);

    /**
     * @param layer decoder layer index
     * @param module slot name, e.g. {@code q_proj}
     * @param base the frozen projection of that slot
     * @param x module input, shape (B, T, in)
     * @return module output, shape (B, T, out), in x's manager
     */
    NDArray apply(int layer, String module, Projection base, NDArray x);
}
