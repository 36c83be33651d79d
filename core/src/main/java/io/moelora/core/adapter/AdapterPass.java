package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.model.Adapters;
import io.moelora.core.model.Projection;
import io.moelora.core.model.TokenBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One forward call through a model with an {@link AdapterSet}: carries the training flag, the
 * padding mask, the call's seed, and collects each module's auxiliary losses and routing statistics.
 */
public final class AdapterPass implements Adapters {

    private final AdapterSet set;
    private final NDManager manager;
    private final boolean training;
    private final boolean collectAux;
    private final long seed;
    private final boolean[] valid; // (B*T)
    private final List<NDArray> contrastive = new ArrayList<>();
    private final List<NDArray> balance = new ArrayList<>();
    private final List<RoutingStats> routing = new ArrayList<>();

    /**
     * @param manager the step manager that owns this call's arrays
     * @param batch the tokens of this call (its padding mask is used for auxiliary losses)
     * @param training dropout on
     * @param collectAux compute auxiliary losses and routing statistics
     * @param seed randomness of this call (dropout, contrastive subsampling)
     */
    public AdapterPass(AdapterSet set, NDManager manager, TokenBatch batch, boolean training, boolean collectAux, long seed) {
        this.set = set;
        this.manager = manager;
        this.training = training;
        this.collectAux = collectAux;
        this.seed = seed;
        this.valid = new boolean[batch.batchSize() * batch.length()];
        for (int b = 0; b < batch.batchSize(); b++) {
            System.arraycopy(batch.valid()[b], 0, valid, b * batch.length(), batch.length());
        }
    }

    @Override
    public NDArray apply(int layer, String module, Projection base, NDArray x) {
        AdapterModule m = set.module(layer, module);
        if (m == null) {
            return base.forward(x);
        }
        long stream = mix(seed, layer * 16L + io.moelora.core.model.ProjectionSlots.NAMES.indexOf(module));
        return m.forward(x, base, new ModuleCall(this, layer, module, stream));
    }

    boolean training() {
        return training;
    }

    boolean collectAux() {
        return collectAux;
    }

    boolean[] validTokens() {
        return valid;
    }

    void record(NDArray c, NDArray b, RoutingStats stats) {
        if (c != null) {
            contrastive.add(c);
        }
        if (b != null) {
            balance.add(b);
        }
        if (stats != null) {
            routing.add(stats);
        }
    }

    /** Mean over modules of the contrastive loss, a scalar (zero when no module reported one). */
    public NDArray contrastiveLoss() {
        return mean(contrastive);
    }

    /** Mean over modules of the load-balancing loss, a scalar (zero when none). */
    public NDArray balanceLoss() {
        return mean(balance);
    }

    /** Routing statistics of every MoELoRA module in this call, in forward order. */
    public List<RoutingStats> routing() {
        return Collections.unmodifiableList(routing);
    }

    private NDArray mean(List<NDArray> xs) {
        if (xs.isEmpty()) {
            return manager.zeros(new ai.djl.ndarray.types.Shape());
        }
        NDArray sum = xs.get(0);
        for (int i = 1; i < xs.size(); i++) {
            sum = sum.add(xs.get(i));
        }
        return sum.div(manager.create((float) xs.size()));
    }

    /** splitmix64 of a combination: independent streams per call and module. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
