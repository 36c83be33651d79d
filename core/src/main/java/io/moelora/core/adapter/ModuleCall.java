package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.Intermediates;
import java.util.Arrays;
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
     * <p>The dropped positions are drawn as gaps between them, each gap geometric with parameter p (the
     * number of kept elements before the next dropped one): the same i.i.d. Bernoulli(p) mask as one draw
     * per element, with about p·n draws instead of n. One draw per element cost about 3 ns, 13 ms of a
     * training step at width 512 (8 adapted projections of 1024 × 512 inputs).
     *
     * @param x shape (..., d)
     */
    public NDArray dropout(NDArray x, double p) {
        if (!training() || p == 0) {
            return x;
        }
        return x.mul(dropoutMask(x.getManager(), x.getShape(), p, stream ^ 0x5DEECE66DL)); // (..., d)
    }

    /**
     * The mask of {@link #dropoutMask(int, double, long)} as a float32 array of the given shape, made by
     * libtorch from the dropped positions alone (about p·n of them): a mask built in Java would need a
     * direct buffer of the full size per module and step, freed only when a collection finds it.
     */
    static NDArray dropoutMask(NDManager manager, Shape shape, double p, long seed) {
        long[] dropped = droppedPositions(Math.toIntExact(shape.size()), p, seed);
        NDArray mask = manager.full(shape, (float) (1.0 / (1.0 - p))); // (...)
        if (dropped.length > 0) {
            NDArray flat = mask.reshape(-1); // (n), a view of mask
            // positions is made from Java data: it stays until the manager closes (see Intermediates)
            flat.set(new NDIndex("{}", manager.create(dropped)), 0f); // index (dropped)
            Intermediates.free(flat);
        }
        return mask;
    }

    /**
     * @return n values: 0 with probability p, else 1 / (1 - p), independently, from the given seed
     */
    static float[] dropoutMask(int n, double p, long seed) {
        float[] mask = new float[n];
        Arrays.fill(mask, (float) (1.0 / (1.0 - p)));
        for (long at : droppedPositions(n, p, seed)) {
            mask[(int) at] = 0f;
        }
        return mask;
    }

    /** The positions in [0, n) the mask drops, ascending: each independently with probability p. */
    static long[] droppedPositions(int n, double p, long seed) {
        long[] dropped = new long[(int) Math.min(n, 16 + 1.1 * p * n)];
        int count = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        double logKeep = Math.log1p(-p); // log(1 - p) < 0
        double at = -1; // the last dropped position (as a double: a long gap must not overflow)
        while (true) {
            // P(gap = g) = (1 - p)^g p, by inversion: g = floor(log(1 - u) / log(1 - p)), u in [0, 1). 1 - u is
            // exact for nextDouble's multiples of 2^-53; Math.log is a compiler intrinsic where log1p would
            // cross into native code once per draw on Java 17
            at += 1 + Math.floor(Math.log(1 - rng.nextDouble()) / logKeep);
            if (at >= n) {
                return Arrays.copyOf(dropped, count);
            }
            if (count == dropped.length) {
                dropped = Arrays.copyOf(dropped, Math.min(n, 2 * count));
            }
            dropped[count++] = (long) at;
        }
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
