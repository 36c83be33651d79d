package io.moelora.core.io;

import ai.djl.ndarray.NDManager;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.RopeLayout;
import io.moelora.core.model.SyntheticWeights;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.util.Set;

/**
 * Base models built in code, so the embedded default runs with no download: {@code builtin:tiny} is a
 * LLaMA-architecture decoder (dim 64, 2 layers, 4 heads, byte-level vocabulary of 259, context 512)
 * with deterministic synthetic weights. It is not pretrained: adapters trained on it show learning on
 * the built-in synthetic suites, not language ability. {@code io.moelora.core.pretrain.TinyBase} makes
 * the pre-trained version of this model as a model directory.
 */
public final class BuiltinModels {

    public static final String PREFIX = "builtin:";
    public static final String TINY = PREFIX + "tiny";

    private BuiltinModels() {}

    public static boolean isBuiltin(String reference) {
        return reference.startsWith(PREFIX);
    }

    /** The configuration of {@code builtin:tiny}. */
    public static LlamaConfig tinyConfig() {
        return new LlamaConfig(ByteTokenizer.VOCAB, 64, 172, 2, 4, 4, 512, 1e-5f, 10000f, RopeLayout.HALF, true, false,
                ByteTokenizer.BOS, ByteTokenizer.EOS);
    }

    /** Loads a built-in model by reference, e.g. {@code builtin:tiny}. */
    public static LoadedModel load(String reference) {
        if (!reference.equals(TINY)) {
            throw new IllegalArgumentException("unknown built-in model '" + reference + "', expected " + TINY);
        }
        NDManager manager = DjlRuntime.newManager();
        try {
            return new LoadedModel(SyntheticWeights.model(tinyConfig(), manager), new ByteTokenizer(), Set.of(ByteTokenizer.EOS));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
