package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterModule;
import io.moelora.core.adapter.AdapterType;
import java.util.SplittableRandom;

/** Registry entry of MoELoRA: a top-k routed mixture of LoRA experts with a contrastive expert loss. */
public final class MoeLoraType implements AdapterType {

    @Override
    public String name() {
        return "moelora";
    }

    @Override
    public String peftType() {
        return "MOELORA";
    }

    @Override
    public AdapterModule create(AdapterConfig config, int inFeatures, int outFeatures, NDManager params, SplittableRandom rng) {
        LoraExperts experts = LoraExperts.initialised(config.experts(), config.expertRank(), inFeatures, outFeatures, params, rng);
        TopKRouter router = TopKRouter.initialised(config.experts(), config.topK(), inFeatures, config.routerInit(), params, rng);
        return new MoeLoraModule(config, router, experts, params);
    }
}
