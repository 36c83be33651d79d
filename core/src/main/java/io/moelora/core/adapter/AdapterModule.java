package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;
import io.moelora.core.model.Projection;
import java.util.List;

/** The adapter of one target module (one layer, one slot), wrapping its frozen base projection. */
public interface AdapterModule {

    /**
     * @param x module input, shape (B, T, in)
     * @param base the frozen projection
     * @param call per-call context: training flag, dropout, padding mask, auxiliary-loss sink
     * @return shape (B, T, out)
     */
    NDArray forward(NDArray x, Projection base, ModuleCall call);

    /** Trainable tensors, in checkpoint order. */
    List<AdapterParameter> parameters();
}
