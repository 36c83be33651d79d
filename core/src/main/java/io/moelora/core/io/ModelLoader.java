package io.moelora.core.io;

import ai.djl.ndarray.NDManager;
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

    private ModelLoader() {}

    /**
     * @param model a llama2.c checkpoint file, a Hugging Face model directory, or {@code builtin:tiny}
     * @param tokenizer a {@code tok*.bin} for llama2.c models, or null (Hugging Face directories use
     *     their {@code tokenizer.json}; without a tokenizer only ids can be used)
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
                Path json = tokenizer != null ? tokenizer : model.resolve("tokenizer.json");
                TextTokenizer t = Files.isRegularFile(json)
                        ? HfTokenizer.load(json, m.config().bosId(), m.config().eosId(), m.config().vocabSize())
                        : null;
                return new LoadedModel(m, t, Set.of(m.config().eosId()));
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
}
