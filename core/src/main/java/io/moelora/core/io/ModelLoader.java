package io.moelora.core.io;

import ai.djl.ndarray.NDManager;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.tokenizer.HfTokenizer;
import io.moelora.core.tokenizer.Llama2cTokenizer;
import io.moelora.core.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Loads a model from a llama2.c {@code .bin} file or a Hugging Face directory, detected by layout. */
public final class ModelLoader {

    private static final String TOKENIZER_JSON = "tokenizer.json";

    private ModelLoader() {}

    /**
     * @param model a llama2.c checkpoint file, a Hugging Face model directory, or {@code builtin:tiny}
     * @param tokenizer a {@code tok*.bin} for llama2.c models, or null (Hugging Face directories use
     *     their {@code tokenizer.json}, or the byte tokenizer when {@link ByteTokenizerMarker} names it;
     *     without a tokenizer only ids can be used)
     */
    public static LoadedModel load(Path model, Path tokenizer) {
        if (BuiltinModels.isBuiltin(model.toString())) {
            return BuiltinModels.load(model.toString());
        }
        if (!Files.exists(model)) {
            throw new ModelFormatException(model + ": no such file or directory");
        }
        NDManager manager = DjlRuntime.newManager();
        try {
            if (Files.isDirectory(model)) {
                LlamaModel m = HfCheckpoint.load(model, manager);
                return new LoadedModel(m, directoryTokenizer(model, tokenizer, m.config()), Set.of(m.config().eosId()));
            }
            if (model.getFileName().toString().endsWith(".bin")) {
                LlamaModel m = Llama2cCheckpoint.load(model, manager);
                TextTokenizer t = tokenizer == null ? null : Llama2cTokenizer.load(tokenizer, m.config().vocabSize());
                // run.c ends a sample when BOS comes back; EOS ends it too
                return new LoadedModel(m, t, Set.of(Llama2cCheckpoint.BOS, Llama2cCheckpoint.EOS));
            }
            throw new ModelFormatException(model + ": unsupported model: expected a llama2.c .bin file or a Hugging Face"
                    + " directory with config.json");
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Like {@link #load}, but refuses a model without a tokenizer, saying what was looked for: for
     * callers that turn text into ids (training, evaluation, services).
     */
    public static LoadedModel loadWithTokenizer(Path model, Path tokenizer) {
        LoadedModel m = load(model, tokenizer);
        if (m.tokenizer() == null) {
            m.close();
            throw new ModelFormatException(model + ": no tokenizer: " + (Files.isDirectory(model)
                    ? "expected " + TOKENIZER_JSON + ", or " + ByteTokenizerMarker.FILE + " with \"tokenizer_class\": \""
                            + ByteTokenizerMarker.TOKENIZER_CLASS + "\" (byte-level)" + otherClass(model)
                    : "llama2.c models need their tok*.bin tokenizer file"));
        }
        return m;
    }

    /** tokenizer.json (or the file passed), else the byte tokenizer when the directory is marked so, else none. */
    private static TextTokenizer directoryTokenizer(Path dir, Path explicit, LlamaConfig config) {
        Path json = explicit != null ? explicit : dir.resolve(TOKENIZER_JSON);
        if (Files.isRegularFile(json)) {
            return HfTokenizer.load(json, config.bosId(), config.eosId(), config.vocabSize());
        }
        return explicit != null ? null : ByteTokenizerMarker.read(dir, config).orElse(null);
    }

    private static String otherClass(Path dir) {
        return ByteTokenizerMarker.tokenizerClass(dir)
                .map(c -> "; " + ByteTokenizerMarker.FILE + " names \"" + c + "\", which needs " + TOKENIZER_JSON)
                .orElse("");
    }
}
