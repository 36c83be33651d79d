package io.moelora.core.adapter;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * A kind of adapter: one implementation per package, one entry in {@link AdapterRegistry}.
 */
public interface AdapterType {

    /** Registry name, e.g. {@code lora}. */
    String name();

    /** {@code peft_type} written to {@code adapter_config.json}. */
    String peftType();

    /**
     * A freshly initialised module for a projection of {@code inFeatures -> outFeatures}.
     *
     * @param params manager that owns the parameters for the adapter's lifetime
     * @param rng seeded initialisation randomness
     */
    AdapterModule create(AdapterConfig config, int inFeatures, int outFeatures, NDManager params, SplittableRandom rng);
}
