package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.RopeLayout;
import io.moelora.core.model.SyntheticWeights;
import io.moelora.core.train.TokenizedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Benchmark models with synthetic weights and random token batches. */
final class BenchModels {

    private BenchModels() {}

    static LlamaModel llama(int dim, int layers, int heads, int kvHeads, int hidden, int vocab, int seq, NDManager m) {
        LlamaConfig c = new LlamaConfig(vocab, dim, hidden, layers, heads, kvHeads, Math.max(seq, 256), 1e-5f, 10000f,
                RopeLayout.HALF, false, false, 1, 2);
        return SyntheticWeights.model(c, m);
    }

    /** {@code n} full-length sequences of random ids (no padding), every token a target. */
    static List<TokenizedExample> randomSequences(int n, int seq, int vocab, long seed) {
        Random rng = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = new int[seq];
            boolean[] targets = new boolean[seq];
            for (int t = 0; t < seq; t++) {
                ids[t] = 3 + rng.nextInt(vocab - 3);
                targets[t] = true;
            }
            out.add(new TokenizedExample(ids, targets));
        }
        return out;
    }
}
