package io.moelora.core.io;

import io.moelora.core.model.LlamaModel;
import io.moelora.core.tokenizer.TextTokenizer;
import java.util.Set;

/**
 * A model with its tokenizer and the ids that end a generation.
 *
 * @param tokenizer may be null when only token ids are used
 * @param stopIds generation stops at any of these
 */
public record LoadedModel(LlamaModel model, TextTokenizer tokenizer, Set<Integer> stopIds) implements AutoCloseable {

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        model.close();
    }
}
