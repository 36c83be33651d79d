package io.moelora.core.generate;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.model.Adapters;
import io.moelora.core.model.TokenBatch;

/** Supplies the adapters of each forward call during generation (a pass needs that call's padding mask). */
@FunctionalInterface
public interface AdapterProvider {

    /** The frozen base model. */
    AdapterProvider NONE = (manager, batch) -> Adapters.NONE;

    Adapters forCall(NDManager manager, TokenBatch batch);

    /** An adapter in eval mode: no dropout, no auxiliary losses. */
    static AdapterProvider eval(AdapterSet adapters) {
        return (manager, batch) -> adapters.pass(manager, batch, false, false, 0);
    }
}
