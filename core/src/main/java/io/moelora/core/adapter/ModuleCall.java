package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** What one adapter module sees of the current forward call. */
public final class ModuleCall {

    private final AdapterPass pass;
    private final int layer;
    private final String module;
    private final long stream; // seed of this module's randomness in this call

    ModuleCall(AdapterPass pass, int layer, String module, long stream) {
        this.pass = pass;
        this.layer = layer;
        this.module = module;
        this.stream = stream;
    }

    public int layer() {
        return layer;
    }

    public String module() {
        return module;
    }

    public boolean training() {
        return pass.training();
    }

    /** Whether auxiliary losses and routing statistics are wanted in this call. */
    public boolean collectAux() {
        return pass.collectAux();
    }

    /** Per token of x flattened to (B*T): false for padding. */
    public boolean[] validTokens() {
        return pass.validTokens();
    }

    /**
     * Inverted dropout with a mask drawn from a seeded Java generator (reproducible on resume and
     * independent of libtorch's global RNG); identity outside training or for p = 0.
     *
     * @param x shape (..., d)
     */
    public NDArray dropout(NDArray x, double p) {
        if (!training() || p == 0) {
            return x;
        }
        SplittableRandom rng = new SplittableRandom(stream ^ 0x5DEECE66DL);
        float keep = (float) (1.0 / (1.0 - p));
        float[] mask = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0f : keep;
        }
        return x.mul(x.getManager().create(mask, x.getShape()));
    }

    /** Seeded randomness for this module in this call (e.g. contrastive subsampling). */
    public SplittableRandom rng() {
        return new SplittableRandom(stream);
    }

    /** Records a module's auxiliary losses (scalars, or null) and routing statistics. */
    public void record(NDArray contrastive, NDArray balance, RoutingStats stats) {
        pass.record(contrastive, balance, stats);
    }

    static Shape flat(NDArray x) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        return new Shape(x.size() / d, d);
    }
}
