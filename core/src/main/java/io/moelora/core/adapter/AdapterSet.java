package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.model.Projection;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * All adapter modules of one job, keyed by (layer, module), with their parameters in one manager.
 * The base model stays untouched and shared: the set is applied per call through an {@link AdapterPass}.
 */
public final class AdapterSet implements AutoCloseable {

    private final AdapterConfig config;
    private final AdapterType type;
    private final NDManager params;
    private final Map<String, AdapterModule> modules; // "layer.module" -> module

    private AdapterSet(AdapterConfig config, AdapterType type, NDManager params, Map<String, AdapterModule> modules) {
        this.config = config;
        this.type = type;
        this.params = params;
        this.modules = modules;
    }

    /** Fresh adapters for every target module of every layer, initialised from {@code seed}. */
    public static AdapterSet create(LlamaModel model, AdapterConfig config, long seed) {
        AdapterSet set = build(model, config, seed);
        set.enableGradients();
        return set;
    }

    private static AdapterSet build(LlamaModel model, AdapterConfig config, long seed) {
        AdapterType type = AdapterRegistry.get(config.type());
        NDManager params = DjlRuntime.newManager();
        Map<String, AdapterModule> modules = new LinkedHashMap<>();
        for (int l = 0; l < model.layers().size(); l++) {
            for (String target : config.targets()) {
                Projection base = model.layers().get(l).projections().get(target);
                SplittableRandom rng = new SplittableRandom(AdapterPass.mix(seed, l * 16L
                        + io.moelora.core.model.ProjectionSlots.NAMES.indexOf(target)));
                modules.put(l + "." + target, type.create(config, base.inFeatures(), base.outFeatures(), params, rng));
            }
        }
        return new AdapterSet(config, type, params, modules);
    }

    /** Values are written before gradients are attached: in-place writes to a grad leaf are refused. */
    private void enableGradients() {
        parameters().values().forEach(p -> p.value().setRequiresGradient(true));
    }

    /**
     * Adapters for {@code model} with parameter values in checkpoint layout.
     *
     * @throws ModelFormatException when a tensor is missing, extra, or of the wrong shape
     */
    public static AdapterSet fromPeft(LlamaModel model, AdapterConfig config, Map<String, float[]> values,
            Map<String, long[]> shapes, String source) {
        AdapterSet set = build(model, config, 0);
        for (String key : shapes.keySet()) {
            if (!set.parameters().containsKey(key)) {
                set.close();
                throw new ModelFormatException(source + ": unexpected tensor " + key + " for a " + config.type()
                        + " adapter on targets " + config.targets() + " of a " + model.layers().size() + "-layer model");
            }
        }
        for (Map.Entry<String, AdapterParameter> e : set.parameters().entrySet()) {
            AdapterParameter p = e.getValue();
            long[] actual = shapes.get(e.getKey());
            if (actual == null || !Arrays.equals(actual, p.peftShape())) {
                set.close();
                throw new ModelFormatException(source + ": tensor " + e.getKey() + (actual == null ? " is missing"
                        : " has shape " + Arrays.toString(actual)) + ", expected " + Arrays.toString(p.peftShape())
                        + " from adapter_config.json and the base model");
            }
            float[] compute = p.layout().fromPeft(values.get(e.getKey()), p.peftShape());
            try (NDManager tmp = set.params.newSubManager()) {
                // copy into the existing storage: set(Buffer) would re-point the tensor at a Java buffer
                p.value().set(new ai.djl.ndarray.index.NDIndex("..."), tmp.create(compute, p.value().getShape()));
            }
        }
        set.enableGradients();
        return set;
    }

    /** The adapter of (layer, module), or null when that slot is not adapted. */
    public AdapterModule module(int layer, String module) {
        return modules.get(layer + "." + module);
    }

    public AdapterConfig config() {
        return config;
    }

    public AdapterType type() {
        return type;
    }

    /** A per-call pass over this set. */
    public AdapterPass pass(NDManager manager, TokenBatch batch, boolean training, boolean collectAux, long seed) {
        return new AdapterPass(this, manager, batch, training, collectAux, seed);
    }

    /** Every trainable parameter by checkpoint key, in checkpoint order. */
    public Map<String, AdapterParameter> parameters() {
        Map<String, AdapterParameter> out = new LinkedHashMap<>();
        modules.forEach((key, module) -> {
            int dot = key.indexOf('.');
            int layer = Integer.parseInt(key.substring(0, dot));
            String slot = key.substring(dot + 1);
            for (AdapterParameter p : module.parameters()) {
                out.put(peftKey(layer, slot, p.suffix()), p);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** PEFT-style key, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. */
    public static String peftKey(int layer, String module, String suffix) {
        String block = module.endsWith("_proj") && (module.startsWith("gate") || module.startsWith("up")
                || module.startsWith("down")) ? "mlp" : "self_attn";
        return "base_model.model.model.layers." + layer + "." + block + "." + module + "." + suffix;
    }

    /** Trainable scalars, with or without the routers. */
    public long trainableParameters(boolean includeRouters) {
        return parameters().values().stream().filter(p -> includeRouters || !p.router()).mapToLong(AdapterParameter::size).sum();
    }

    /** Parameter values in checkpoint layout. */
    public Map<String, float[]> peftValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters().forEach((k, p) -> out.put(k, p.layout().toPeft(p.value().toFloatArray(), p.peftShape())));
        return out;
    }

    /** The parameter manager (scalars that must outlive steps live here too). */
    public NDManager manager() {
        return params;
    }


    @Override
    public void close() {
        params.close();
    }
}
