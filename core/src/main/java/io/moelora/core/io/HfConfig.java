package io.moelora.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.model.RopeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Hugging Face {@code config.json} of a LLaMA-family model (llama, mistral, qwen2) into a
 * {@link LlamaConfig}. Checkpoints in the Meta/llama2.c pairing can declare the non-standard key
 * {@code "rope_layout": "interleaved"}; the default is Hugging Face's rotate-half layout.
 * {@link #json} writes the same keys back, so a model this project trains loads like any other.
 */
public final class HfConfig {

    private static final Set<String> SUPPORTED = Set.of("llama", "mistral", "qwen2");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {}

    public static LlamaConfig read(Path configJson) {
        JsonNode c;
        try {
            c = JSON.readTree(Files.readString(configJson));
        } catch (IOException e) {
            throw new ModelFormatException(configJson + ": cannot read config: " + e.getMessage(), e);
        }
        if (c == null || !c.isObject()) {
            throw new ModelFormatException(configJson + ": not a JSON object");
        }
        String type = c.path("model_type").asText("");
        if (!SUPPORTED.contains(type)) {
            throw new ModelFormatException(configJson + ": unsupported architecture model_type='" + type
                    + "', expected one of " + SUPPORTED.stream().sorted().toList());
        }
        JsonNode scaling = c.path("rope_scaling");
        if (!scaling.isMissingNode() && !scaling.isNull()) {
            throw new ModelFormatException(configJson + ": rope_scaling " + scaling + " is not supported");
        }
        int dim = required(configJson, c, "hidden_size");
        int heads = required(configJson, c, "num_attention_heads");
        int headDim = c.path("head_dim").asInt(dim / heads);
        if (headDim * heads != dim) {
            throw new ModelFormatException(configJson + ": head_dim=" + headDim + " must equal hidden_size/num_attention_heads="
                    + dim / heads + " (other head sizes are not supported)");
        }
        try {
            return new LlamaConfig(
                    required(configJson, c, "vocab_size"),
                    dim,
                    required(configJson, c, "intermediate_size"),
                    required(configJson, c, "num_hidden_layers"),
                    heads,
                    c.path("num_key_value_heads").asInt(heads),
                    c.path("max_position_embeddings").asInt(2048),
                    (float) c.path("rms_norm_eps").asDouble(1e-6),
                    (float) c.path("rope_theta").asDouble(10000.0),
                    RopeLayout.parse(c.path("rope_layout").asText("half")),
                    c.path("tie_word_embeddings").asBoolean(false),
                    c.path("attention_bias").asBoolean(type.equals("qwen2")),
                    firstInt(c.path("bos_token_id"), 1),
                    firstInt(c.path("eos_token_id"), 2));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(configJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code config.json} of a {@code llama} model with this config: exactly the keys {@link #read}
     * reads ({@code rope_layout} only when interleaved, which Hugging Face does not know), plus
     * {@code architectures}, {@code hidden_act} and {@code torch_dtype} for other tools.
     */
    public static ObjectNode json(LlamaConfig config) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", config.vocabSize());
        c.put("hidden_size", config.dim());
        c.put("intermediate_size", config.hiddenDim());
        c.put("num_hidden_layers", config.nLayers());
        c.put("num_attention_heads", config.nHeads());
        c.put("num_key_value_heads", config.nKvHeads());
        c.put("head_dim", config.headDim());
        c.put("max_position_embeddings", config.maxSeqLen());
        // Float.toString: the shortest decimal that reads back as the same float (1e-5f, not 9.99999974e-6)
        c.put("rms_norm_eps", Double.parseDouble(Float.toString(config.normEps())));
        c.put("rope_theta", Double.parseDouble(Float.toString(config.ropeTheta())));
        c.putNull("rope_scaling");
        if (config.ropeLayout() != RopeLayout.HALF) {
            c.put("rope_layout", config.ropeLayout().name().toLowerCase(Locale.ROOT));
        }
        c.put("tie_word_embeddings", config.tiedEmbeddings());
        c.put("attention_bias", config.qkvBias());
        c.put("bos_token_id", config.bosId());
        c.put("eos_token_id", config.eosId());
        c.put("hidden_act", "silu");
        c.put("torch_dtype", "float32");
        return c;
    }

    private static int required(Path file, JsonNode c, String key) {
        JsonNode n = c.path(key);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ModelFormatException(file + ": missing or non-integer '" + key + "'");
        }
        return n.intValue();
    }

    /** eos_token_id may be a list; the first entry is used. */
    private static int firstInt(JsonNode n, int fallback) {
        if (n.isArray() && n.size() > 0) {
            return n.get(0).asInt(fallback);
        }
        return n.isIntegralNumber() ? n.intValue() : fallback;
    }
}
