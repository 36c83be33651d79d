package io.moelora.cli;

import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --model and --tokenizer, shared by every command that loads a base model. */
final class ModelOptions {

    @Option(names = "--model", required = true, description = "llama2.c .bin file or Hugging Face model directory")
    Path model;

    @Option(names = "--tokenizer", description = "tok*.bin for llama2.c models (HF directories use tokenizer.json)")
    Path tokenizer;

    LoadedModel load() {
        return ModelLoader.load(model, tokenizer);
    }

    LoadedModel loadWithTokenizer() {
        LoadedModel m = load();
        if (m.tokenizer() == null) {
            m.close();
            throw new IllegalArgumentException(model + ": no tokenizer: pass --tokenizer (llama2.c) or add tokenizer.json");
        }
        return m;
    }
}
