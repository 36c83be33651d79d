package io.moelora.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.io.SafetensorsWriter;
import io.moelora.core.model.SyntheticWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny Hugging Face Llama directory (config.json, model.safetensors, tokenizer.json) whose
 * weights follow the deterministic splitmix64 formula of {@code tools/golden_reference.py}, so its
 * logits can be compared with the reference's golden values.
 */
public final class TinyLlamaFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyLlamaFixture() {}

    /** splitmix64 finaliser, as in the reference script. */
    public static long splitmix64(long x) {
        return SyntheticWeights.splitmix64(x);
    }

    /** Element {@code i} of tensor number {@code k}. */
    public static float weight(int k, long i, double s, double c) {
        return SyntheticWeights.value(k, i, s, c);
    }

    /** Generates all tensors of {@code golden} (a tiny-llama-*.json fixture) and writes the directory. */
    public static Path write(JsonNode golden, Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        JsonNode order = golden.get("tensor_order");
        for (int k = 0; k < order.size(); k++) {
            String name = order.get(k).get("name").asText();
            JsonNode shapeNode = order.get(k).get("shape");
            long[] shape = new long[shapeNode.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = shapeNode.get(d).asLong();
            }
            writer.addF32(name, shape, SyntheticWeights.values(name, shape, k));
        }
        writer.write(dir.resolve("model.safetensors"));

        ObjectNode config = ((ObjectNode) golden.get("config").deepCopy());
        config.put("model_type", "llama");
        config.putArray("architectures").add("LlamaForCausalLM");
        config.put("max_position_embeddings", 128);
        config.put("bos_token_id", 1);
        config.put("eos_token_id", 2);
        Files.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(config.get("vocab_size").asInt()));
        return dir;
    }

    /** A word-level tokenizer: ids 0..2 are special, the rest are the words "w3".."w{V-1}". */
    static String tokenizerJson(int vocab) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        var added = root.putArray("added_tokens");
        String[] special = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < special.length; i++) {
            added.addObject().put("id", i).put("content", special[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode words = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) {
            words.put(i < special.length ? special[i] : "w" + i, i);
        }
        model.put("unk_token", "<unk>");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
