package io.moelora.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.moelora.core.runtime.DjlRuntime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW exactly as {@code torch.optim.AdamW}: decoupled weight decay {@code p ← p·(1 − lr·wd)}, then
 * {@code p ← p − lr · m̂ / (√v̂ + eps)} with bias-corrected moments and eps added outside the square
 * root (unlike DJL's built-in AdamW, which folds the correction into lr). Gradients are zeroed after
 * each update. Moments live in this optimizer's own manager and are saved with checkpoints.
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, NDArray> params;
    private final NDManager state;
    private final Map<String, NDArray> first = new LinkedHashMap<>(); // same shape as each parameter
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int updates;

    public AdamW(Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = new LinkedHashMap<>(params);
        this.state = DjlRuntime.newManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        params.forEach((k, p) -> {
            first.put(k, state.zeros(p.getShape()));
            second.put(k, state.zeros(p.getShape()));
        });
    }

    /** Updates done so far (restored from checkpoints). */
    public int updates() {
        return updates;
    }

    /** Global L2 norm of the current gradients. */
    public double gradientNorm() {
        double sum = 0;
        try (NDManager tmp = state.newSubManager()) {
            for (NDArray p : params.values()) {
                NDArray g = own(tmp, p.getGradient()); // results of g's ops land in tmp, not the parameters' manager
                sum += g.square().sum().getFloat();
            }
        }
        return Math.sqrt(sum);
    }

    /** Multiplies every gradient by {@code factor} (gradient-norm clipping). */
    public void scaleGradients(double factor) {
        DjlRuntime.inferenceMode();
        try (NDManager tmp = state.newSubManager()) {
            NDArray f = tmp.create((float) factor);
            for (NDArray p : params.values()) {
                try (NDArray g = p.getGradient()) {
                    g.muli(f);
                }
            }
        }
    }

    /** One update with learning rate {@code lr}; zeroes the gradients. */
    public void step(double lr) {
        DjlRuntime.inferenceMode(); // in-place updates of grad leaves must not be recorded
        updates++;
        double bc1 = 1 - Math.pow(beta1, updates);
        double bc2 = 1 - Math.pow(beta2, updates);
        try (NDManager tmp = state.newSubManager()) {
            NDArray b1 = tmp.create((float) beta1);
            NDArray oneMinusB1 = tmp.create((float) (1 - beta1));
            NDArray b2 = tmp.create((float) beta2);
            NDArray oneMinusB2 = tmp.create((float) (1 - beta2));
            NDArray invBc1 = tmp.create((float) (1 / bc1));
            NDArray invBc2 = tmp.create((float) (1 / bc2));
            NDArray epsilon = tmp.create((float) eps);
            NDArray lrArray = tmp.create((float) lr);
            NDArray decay = tmp.create((float) (1 - lr * weightDecay));
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray m = first.get(e.getKey());
                NDArray v = second.get(e.getKey());
                NDArray g = p.getGradient();
                g.attach(tmp);
                if (weightDecay != 0) {
                    p.muli(decay);
                }
                m.muli(b1).addi(own(tmp, g.mul(oneMinusB1)));
                v.muli(b2).addi(own(tmp, g.square()).mul(oneMinusB2));
                NDArray denom = own(tmp, own(tmp, v.mul(invBc2)).sqrt()).add(epsilon); // √v̂ + eps
                NDArray update = own(tmp, own(tmp, m.mul(invBc1)).div(denom)).mul(lrArray);
                p.subi(update);
                g.subi(g); // zero for the next accumulation
            }
        }
    }

    /** Whether every parameter is finite (an overflowing update can make them infinite). */
    public boolean parametersFinite() {
        for (NDArray p : params.values()) {
            try (NDManager tmp = state.newSubManager()) {
                NDArray bad = own(tmp, p.isNaN()).logicalOr(own(tmp, p.isInfinite()));
                own(tmp, bad);
                if (own(tmp, bad.any()).getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Copies values into an existing tensor's storage (see {@link #zeroGradients} on set(Buffer)). */
    static void copyInto(NDArray target, float[] values) {
        try (NDManager tmp = target.getManager().newSubManager()) {
            target.set(ALL, tmp.create(values, target.getShape()));
        }
    }

    /** Moves a temporary into {@code tmp}: DJL puts results in the left operand's (long-lived) manager. */
    private static NDArray own(NDManager tmp, NDArray x) {
        x.attach(tmp);
        return x;
    }

    /** Moments by parameter key, for checkpoints: "exp_avg." + key and "exp_avg_sq." + key. */
    public Map<String, NDArray> moments() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        first.forEach((k, m) -> out.put("exp_avg." + k, m));
        second.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
        return out;
    }

    /** Restores moments and the update count from a checkpoint. */
    public void restore(Map<String, float[]> moments, int updateCount) {
        moments().forEach((k, m) -> {
            float[] values = moments.get(k);
            if (values == null || values.length != m.size()) {
                throw new IllegalArgumentException("optimizer state lacks " + k + " or has the wrong size");
            }
            copyInto(m, values);
        });
        this.updates = updateCount;
    }

    /**
     * Zeroes gradients without updating (a skipped step). Filled in place, since NaN − NaN is NaN;
     * not {@code set(Buffer)}, which re-points the tensor at a Java buffer freed with the handle.
     */
    public void zeroGradients() {
        DjlRuntime.inferenceMode();
        for (NDArray p : params.values()) {
            try (NDArray g = p.getGradient()) {
                g.set(ALL, 0f);
            }
        }
    }

    private static final NDIndex ALL = new NDIndex("...");

    @Override
    public void close() {
        state.close();
    }
}
