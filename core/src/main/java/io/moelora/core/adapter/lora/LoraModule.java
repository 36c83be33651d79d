package io.moelora.core.adapter.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterModule;
import io.moelora.core.adapter.AdapterParameter;
import io.moelora.core.adapter.Init;
import io.moelora.core.adapter.ModuleCall;
import io.moelora.core.adapter.PeftLayout;
import io.moelora.core.model.Linear;
import io.moelora.core.model.Projection;
import io.moelora.core.runtime.Intermediates;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LoRA around a frozen projection: {@code h = W0 x + scale · B A dropout(x)}, A Kaiming-uniform
 * (a = √5), B = 0 so the adapter starts as the identity, {@code scale = alpha / r}.
 */
public final class LoraModule implements AdapterModule {

    private final NDArray a; // (d_in, r): A^T, so activations stay the left operand
    private final NDArray b; // (r, d_out): B^T
    private final NDArray scale; // () in the parameters' manager
    private final double dropout;
    private final int in;
    private final int out;
    private final int rank;

    private LoraModule(NDArray a, NDArray b, NDArray scale, double dropout, int in, int out, int rank) {
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
        this.in = in;
        this.out = out;
        this.rank = rank;
    }

    static LoraModule initialised(AdapterConfig c, int in, int out, NDManager params, SplittableRandom rng) {
        // Kaiming over A's (r, d_in) layout, then stored transposed
        float[] aPeft = Init.kaimingUniform(c.rank() * in, in, rng);
        long[] aShape = {c.rank(), in};
        NDArray a = params.create(PeftLayout.TRANSPOSE.fromPeft(aPeft, aShape), new Shape(in, c.rank()));
        NDArray b = params.zeros(new Shape(c.rank(), out));
        NDArray scale = params.create((float) c.scale());
        return new LoraModule(a, b, scale, c.dropout(), in, out, c.rank());
    }

    @Override
    public NDArray forward(NDArray x, Projection base, ModuleCall call) {
        // the scale multiplies the rank-r intermediate, not the (..., d_out) output: r/d_out of the work
        NDArray dropped = call.dropout(x, dropout); // (..., d_in), x itself outside training
        NDArray down = dropped.matMul(a); // (..., r)
        NDArray scaled = down.mul(scale); // (..., r)
        NDArray delta = scaled.matMul(b); // (..., d_out)
        NDArray base0 = base.forward(x); // (..., d_out)
        // in place on the base output: nothing saved it for the backward (matMul keeps its inputs)
        NDArray y = base0.addi(delta); // (..., d_out), base0 itself
        Intermediates.free(down, scaled, delta);
        if (dropped != x) {
            Intermediates.free(dropped);
        }
        return y;
    }

    @Override
    public List<AdapterParameter> parameters() {
        return List.of(
                new AdapterParameter("lora_A.weight", a, new long[] {rank, in}, PeftLayout.TRANSPOSE, false),
                new AdapterParameter("lora_B.weight", b, new long[] {out, rank}, PeftLayout.TRANSPOSE, false));
    }

    /**
     * The adapter folded into the base weight: {@code W = W0 + scale · B A}, for serving without the
     * extra matMuls. The result owns a new weight in {@code manager}.
     */
    public Linear merge(Linear base, NDManager manager) {
        NDArray w0t = base.weightTransposed(); // (d_in, d_out)
        NDArray merged = manager.create(w0t.toFloatArray(), w0t.getShape())
                .add(manager.create(a.toFloatArray(), a.getShape()).matMul(manager.create(b.toFloatArray(), b.getShape()))
                        .mul(manager.create(scale.getFloat())));
        return Linear.fromTransposed(merged, null);
    }
}
