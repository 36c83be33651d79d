package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link LlamaModel} from named tensors, checking every name and shape against the config. */
public final class LlamaAssembler {

    private final LlamaConfig config;
    private final TensorSource source;
    private final NDManager manager;

    private LlamaAssembler(LlamaConfig config, TensorSource source, NDManager manager) {
        this.config = config;
        this.source = source;
        this.manager = manager;
    }

    /**
     * @param manager long-lived manager that will own the weights (closed with the model)
     * @throws ModelFormatException naming the file and tensor on a missing tensor or wrong shape
     */
    public static LlamaModel assemble(LlamaConfig config, TensorSource source, NDManager manager) {
        return new LlamaAssembler(config, source, manager).build();
    }

    private LlamaModel build() {
        int d = config.dim();
        int f = config.hiddenDim();
        int q = config.nHeads() * config.headDim();
        int kv = config.kvDim();
        NDArray eps = manager.create(config.normEps());
        RotaryEmbedding rope = new RotaryEmbedding(config.ropeLayout(), config.headDim(), config.ropeTheta());

        TokenEmbedding embedding = new TokenEmbedding(tensor("model.embed_tokens.weight", config.vocabSize(), d));
        List<DecoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < config.nLayers(); l++) {
            String p = "model.layers." + l + ".";
            Map<String, Projection> slots = new LinkedHashMap<>();
            slots.put("q_proj", linear(p + "self_attn.q_proj", q, d, config.qkvBias()));
            slots.put("k_proj", linear(p + "self_attn.k_proj", kv, d, config.qkvBias()));
            slots.put("v_proj", linear(p + "self_attn.v_proj", kv, d, config.qkvBias()));
            slots.put("o_proj", linear(p + "self_attn.o_proj", d, q, false));
            slots.put("gate_proj", linear(p + "mlp.gate_proj", f, d, false));
            slots.put("up_proj", linear(p + "mlp.up_proj", f, d, false));
            slots.put("down_proj", linear(p + "mlp.down_proj", d, f, false));
            RmsNorm attnNorm = new RmsNorm(tensor(p + "input_layernorm.weight", d), eps);
            RmsNorm mlpNorm = new RmsNorm(tensor(p + "post_attention_layernorm.weight", d), eps);
            layers.add(new DecoderLayer(l, config, rope, attnNorm, mlpNorm, new ProjectionSlots(slots)));
        }
        RmsNorm finalNorm = new RmsNorm(tensor("model.norm.weight", d), eps);
        Linear head = config.tiedEmbeddings()
                ? new Linear(embedding.table(), null)
                : linear("lm_head", config.vocabSize(), d, false);
        return new LlamaModel(config, manager, embedding, layers, finalNorm, head, rope);
    }

    private Linear linear(String prefix, int out, int in, boolean withBias) {
        NDArray weight = tensor(prefix + ".weight", out, in);
        NDArray bias = withBias ? tensor(prefix + ".bias", out) : null;
        return new Linear(weight, bias);
    }

    private NDArray tensor(String name, long... expected) {
        long[] actual = source.shapeOf(name).orElseThrow(() -> new ModelFormatException(
                source.describe() + ": missing tensor " + name + " (expected shape " + Arrays.toString(expected) + ")"));
        if (!Arrays.equals(actual, expected)) {
            throw new ModelFormatException(source.describe() + ": tensor " + name + " has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(expected) + " from the model config");
        }
        return source.load(name, manager);
    }
}
