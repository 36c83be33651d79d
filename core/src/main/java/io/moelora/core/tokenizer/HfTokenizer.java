package io.moelora.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's bundled tokenizers library, always from a local
 * path (the model-id overload would download from a hub).
 */
public final class HfTokenizer implements TextTokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final int bosId;
    private final int eosId;
    private final int vocabSize;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int bosId, int eosId, int vocabSize) {
        this.tokenizer = tokenizer;
        this.bosId = bosId;
        this.eosId = eosId;
        this.vocabSize = vocabSize;
    }

    /** Loads {@code tokenizer.json}; BOS/EOS ids come from the model config. */
    public static HfTokenizer load(Path tokenizerJson, int bosId, int eosId, int vocabSize) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException(tokenizerJson + ": tokenizer file not found");
        }
        DjlRuntime.engine(); // sets the offline guard before the tokenizer library starts
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
            return new HfTokenizer(t, bosId, eosId, vocabSize);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        long[] ids = text.isEmpty() ? new long[0] : tokenizer.encode(text).getIds();
        int[] out = new int[ids.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        int i = 0;
        if (bos) {
            out[i++] = bosId;
        }
        for (long id : ids) {
            out[i++] = Math.toIntExact(id);
        }
        if (eos) {
            out[i] = eosId;
        }
        return out;
    }

    @Override
    public String decode(int previous, int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
