package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every base model the evaluation benchmark uses is loaded here, and each load is counted, so the
 * benchmark can assert that several adapters were evaluated on one loaded base. A reference is a model
 * file or directory ({@link ModelLoader}) or {@code synthetic:DIM}: a {@link ModelShape} base of that
 * width with the byte-level tokenizer's vocabulary, so text suites can run on a larger model without
 * a file.
 */
final class BaseLoads {

    static final String SYNTHETIC = "synthetic:";
    /** Long enough for a byte-level evaluation prompt plus its answer budget. */
    private static final int SYNTHETIC_MAX_SEQ = 1024;

    private static final Map<String, Integer> LOADS = new HashMap<>();

    private BaseLoads() {}

    static LoadedModel load(String reference, Path tokenizer) {
        LOADS.merge(reference, 1, Integer::sum);
        if (!reference.startsWith(SYNTHETIC)) {
            return ModelLoader.loadWithTokenizer(Path.of(reference), tokenizer);
        }
        ModelShape shape = ModelShape.llama(Integer.parseInt(reference.substring(SYNTHETIC.length())), ByteTokenizer.VOCAB);
        NDManager weights = DjlRuntime.newManager();
        try {
            LlamaModel m = shape.build(SYNTHETIC_MAX_SEQ, weights);
            if (m.config().bosId() != ByteTokenizer.BOS || m.config().eosId() != ByteTokenizer.EOS) {
                throw new IllegalStateException("synthetic base and byte tokenizer disagree on BOS/EOS");
            }
            return new LoadedModel(m, new ByteTokenizer(), Set.of(ByteTokenizer.EOS));
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** How many times {@code reference} was loaded in this process. */
    static int count(String reference) {
        return LOADS.getOrDefault(reference, 0);
    }

    /** A short name for tables and plots: the file name without {@code .bin}, or {@code synthetic d512}. */
    static String label(String reference) {
        if (reference.startsWith(SYNTHETIC)) {
            return "synthetic d" + reference.substring(SYNTHETIC.length());
        }
        return Path.of(reference).getFileName().toString().replaceFirst("\\.bin$", "");
    }
}
