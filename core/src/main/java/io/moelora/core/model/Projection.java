package io.moelora.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A linear map applied to the last axis, the unit adapters wrap: a frozen base projection today,
 * a LoRA or MoELoRA layer around it later.
 */
public interface Projection {

    /**
     * @param x activations, shape (..., inFeatures)
     * @return shape (..., outFeatures), owned by the manager of {@code x}
     */
    NDArray forward(NDArray x);

    int inFeatures();

    int outFeatures();
}
