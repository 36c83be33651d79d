package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic weights for any {@link LlamaConfig}, without a file: tensor number k (in Hugging Face
 * checkpoint order), element i gets {@code (u − 0.5)·2·s + c} with u from splitmix64((k << 32) | i).
 * Norm weights: s = 0.1, c = 1; embeddings: s = 0.5; projections: s = 1/√in; biases: s = 0.1. The same
 * formula is implemented in {@code tools/golden_reference.py}, so golden logits can be produced for it.
 * Used for benchmarks and the built-in tiny base model.
 */
public final class SyntheticWeights implements TensorSource {

    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    public SyntheticWeights(LlamaConfig c) {
        long d = c.dim();
        long q = (long) c.nHeads() * c.headDim();
        long kv = c.kvDim();
        long f = c.hiddenDim();
        put("model.embed_tokens.weight", c.vocabSize(), d);
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "model.layers." + l + ".";
            put(p + "input_layernorm.weight", d);
            put(p + "self_attn.q_proj.weight", q, d);
            if (c.qkvBias()) {
                put(p + "self_attn.q_proj.bias", q);
            }
            put(p + "self_attn.k_proj.weight", kv, d);
            if (c.qkvBias()) {
                put(p + "self_attn.k_proj.bias", kv);
            }
            put(p + "self_attn.v_proj.weight", kv, d);
            if (c.qkvBias()) {
                put(p + "self_attn.v_proj.bias", kv);
            }
            put(p + "self_attn.o_proj.weight", d, q);
            put(p + "post_attention_layernorm.weight", d);
            put(p + "mlp.gate_proj.weight", f, d);
            put(p + "mlp.up_proj.weight", f, d);
            put(p + "mlp.down_proj.weight", d, f);
        }
        put("model.norm.weight", d);
        if (!c.tiedEmbeddings()) {
            put("lm_head.weight", c.vocabSize(), d);
        }
    }

    /** A model with these weights, owned by {@code manager}. */
    public static LlamaModel model(LlamaConfig config, NDManager manager) {
        return LlamaAssembler.assemble(config, new SyntheticWeights(config), manager);
    }

    private void put(String name, long... shape) {
        shapes.put(name, shape);
        order.add(name);
    }

    /** splitmix64 finaliser. */
    public static long splitmix64(long x) {
        x += 0x9E3779B97F4A7C15L;
        long z = x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Element {@code i} of tensor number {@code k}. */
    public static float value(int k, long i, double s, double c) {
        double u = (splitmix64(((long) k << 32) | i) >>> 40) / 16777216.0;
        return (float) ((u - 0.5) * 2.0 * s + c);
    }

    /** The values of tensor {@code name} with shape {@code shape}, as tensor number {@code k}. */
    public static float[] values(String name, long[] shape, int k) {
        double s;
        double c = 0.0;
        if (name.endsWith("norm.weight")) {
            s = 0.1;
            c = 1.0;
        } else if (name.equals("model.embed_tokens.weight")) {
            s = 0.5;
        } else if (name.endsWith(".bias")) {
            s = 0.1;
        } else {
            s = 1.0 / Math.sqrt(shape[1]);
        }
        float[] out = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(k, i, s, c);
        }
        return out;
    }

    /** Tensor names in checkpoint order. */
    public List<String> names() {
        return List.copyOf(order);
    }

    @Override
    public String describe() {
        return "synthetic weights";
    }

    @Override
    public Optional<long[]> shapeOf(String name) {
        return Optional.ofNullable(shapes.get(name)).map(long[]::clone);
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        long[] shape = shapes.get(name);
        return manager.create(values(name, shape, order.indexOf(name)), new Shape(shape));
    }
}
