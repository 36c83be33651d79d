package io.moelora.core.adapter.lora;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterModule;
import io.moelora.core.adapter.AdapterType;
import java.util.SplittableRandom;

/** Registry entry of plain LoRA. */
public final class LoraType implements AdapterType {

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public String peftType() {
        return "LORA";
    }

    @Override
    public AdapterModule create(AdapterConfig config, int inFeatures, int outFeatures, NDManager params, SplittableRandom rng) {
        return LoraModule.initialised(config, inFeatures, outFeatures, params, rng);
    }
}
