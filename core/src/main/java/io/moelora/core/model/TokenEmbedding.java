package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Token id to vector lookup. */
public final class TokenEmbedding {

    private final NDArray table; // (V, D)

    public TokenEmbedding(NDArray table) {
        this.table = table;
    }

    /**
     * @param ids token ids, shape (B, T), int64
     * @return shape (B, T, D), in the manager of {@code ids} (never the weights' manager, which
     *     would keep every lookup alive as long as the model)
     */
    public NDArray forward(NDArray ids) {
        return table.get(ids.getManager(), new NDIndex("{}", ids));
    }

    /** The table, shape (V, D). */
    public NDArray table() {
        return table;
    }
}
