package io.moelora.core.adapter.moelora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterModule;
import io.moelora.core.adapter.AdapterParameter;
import io.moelora.core.adapter.ModuleCall;
import io.moelora.core.adapter.RoutingStats;
import io.moelora.core.model.Projection;
import io.moelora.core.runtime.Intermediates;
import java.util.ArrayList;
import java.util.List;

/**
 * MoELoRA around a frozen projection:
 * {@code h = W0 x + scale · Σ_{i∈topk(Wg x)} g_i B_i A_i dropout(x)}. The router sees x without
 * dropout. When the call asks for auxiliary losses it records the contrastive and load-balancing
 * losses and the routing statistics of this module.
 */
final class MoeLoraModule implements AdapterModule {

    private final AdapterConfig config;
    private final TopKRouter router;
    private final LoraExperts experts;
    private final ContrastiveExpertLoss contrastive;
    private final NDArray scale; // ()

    MoeLoraModule(AdapterConfig config, TopKRouter router, LoraExperts experts, NDManager params) {
        this.config = config;
        this.router = router;
        this.experts = experts;
        this.contrastive = new ContrastiveExpertLoss(params, config.temperature(), config.maxSamples());
        this.scale = params.create((float) config.scale());
    }

    @Override
    public NDArray forward(NDArray x, Projection base, ModuleCall call) {
        Shape shape = x.getShape();
        long in = shape.get(shape.dimension() - 1);
        long m = x.size() / in;
        NDArray flat = x.reshape(m, in); // (M, d_in)
        Routing routing = router.route(flat);
        NDArray dropped = call.dropout(flat, config.dropout()); // (M, d_in), flat itself outside training
        NDArray xa = experts.down(dropped); // (M, N*r_e)
        // the scale rides on the (M, N) gates rather than the (M, d_out) output
        NDArray scaledGates = routing.gates().mul(scale); // (M, N)
        NDArray delta = experts.mix(xa, scaledGates); // (M, d_out)
        long[] outShape = shape.getShape().clone(); // getShape() exposes the array: never modify it in place
        outShape[outShape.length - 1] = delta.getShape().get(1);
        if (call.collectAux()) {
            boolean[] valid = call.validTokens();
            // with beta = 0 training does not need the loss: skip its cost (evaluation still reports it)
            boolean wanted = config.contrastiveWeight() > 0 || !call.training();
            call.record(
                    wanted ? contrastive.compute(experts, xa, routing, valid, call.rng()) : null,
                    LoadBalancingLoss.compute(routing, valid, config.experts()),
                    stats(routing, valid, call));
        }
        NDArray base0 = base.forward(x); // (..., d_out)
        NDArray deltaShaped = delta.reshape(new Shape(outShape)); // (..., d_out)
        // in place on the base output: nothing saved it for the backward (matMul keeps its inputs)
        NDArray y = base0.addi(deltaShaped); // (..., d_out), base0 itself
        Intermediates.free(xa, scaledGates, delta, deltaShaped, flat);
        if (dropped != flat) {
            Intermediates.free(dropped);
        }
        return y;
    }

    private RoutingStats stats(Routing routing, boolean[] valid, ModuleCall call) {
        int n = config.experts();
        long[] counts = new long[n];
        double entropy = 0;
        long tokens = 0;
        float[] g = routing.gateValues();
        for (int t = 0; t < routing.tokens(); t++) {
            if (!valid[t]) {
                continue;
            }
            tokens++;
            counts[routing.top1(t)]++;
            for (int i = 0; i < n; i++) {
                float p = g[t * n + i];
                if (p > 0) {
                    entropy -= p * Math.log(p);
                }
            }
        }
        return new RoutingStats(call.layer(), call.module(), counts, tokens == 0 ? 0 : entropy / tokens, tokens);
    }

    @Override
    public List<AdapterParameter> parameters() {
        List<AdapterParameter> out = new ArrayList<>(experts.parameters());
        out.add(router.parameter());
        return out;
    }
}
