package io.moelora.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code tokenizer_config.json} that stands in for {@code tokenizer.json} in a model directory
 * whose tokenizer is the byte-level {@link ByteTokenizer} (the tiny base pre-trained here): a byte
 * tokenizer has no vocabulary to store, so the file only names it, with {@code "tokenizer_class":
 * "MoeloraByteTokenizer"} and the ids it uses.
 */
public final class ByteTokenizerMarker {

    public static final String FILE = "tokenizer_config.json";
    public static final String TOKENIZER_CLASS = "MoeloraByteTokenizer";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ByteTokenizerMarker() {}

    /** Writes the marker into {@code dir}. */
    public static void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("tokenizer_class", TOKENIZER_CLASS);
        n.put("description", "byte-level: id 0 pad, 1 BOS, 2 EOS, id = UTF-8 byte + 3; no vocabulary file");
        n.put("vocab_size", ByteTokenizer.VOCAB);
        n.put("pad_token_id", ByteTokenizer.PAD);
        n.put("bos_token_id", ByteTokenizer.BOS);
        n.put("eos_token_id", ByteTokenizer.EOS);
        JSON.writeValue(dir.resolve(FILE).toFile(), n);
    }

    /** The {@code tokenizer_class} of {@code dir}'s {@code tokenizer_config.json}, if it has one. */
    static Optional<String> tokenizerClass(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            return n != null && n.path("tokenizer_class").isTextual() ? Optional.of(n.get("tokenizer_class").asText())
                    : Optional.empty();
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The byte tokenizer when {@code dir} carries the marker, checked against the model's config
     * (vocabulary 259, BOS 1, EOS 2).
     */
    static Optional<ByteTokenizer> read(Path dir, LlamaConfig config) {
        if (!tokenizerClass(dir).filter(TOKENIZER_CLASS::equals).isPresent()) {
            return Optional.empty();
        }
        if (config.vocabSize() != ByteTokenizer.VOCAB || config.bosId() != ByteTokenizer.BOS
                || config.eosId() != ByteTokenizer.EOS) {
            throw new ModelFormatException(dir.resolve(FILE) + ": " + TOKENIZER_CLASS + " needs vocab_size "
                    + ByteTokenizer.VOCAB + ", bos_token_id " + ByteTokenizer.BOS + " and eos_token_id " + ByteTokenizer.EOS
                    + " in config.json, got " + config.vocabSize() + ", " + config.bosId() + " and " + config.eosId());
        }
        return Optional.of(new ByteTokenizer());
    }
}
