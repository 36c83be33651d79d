package io.moelora.core.testing;

import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.train.TokenizedExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny models and synthetic token data for training tests. */
public final class TinyModels {

    private TinyModels() {}

    /** The tiny multi-head model of the golden fixtures (V=64, D=32, 2 layers), written under {@code dir}. */
    public static LoadedModel halfMha(Path dir) {
        try {
            return ModelLoader.load(TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A learnable synthetic task: BOS, then a counting sequence with a per-example start and step,
     * so the next token is predictable from the previous two. Lengths vary to exercise padding.
     */
    public static List<TokenizedExample> countingTask(int n, long seed) {
        Random rng = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 6 + rng.nextInt(6);
            int start = 3 + rng.nextInt(20);
            int stride = 1 + rng.nextInt(3);
            int[] ids = new int[len];
            boolean[] targets = new boolean[len];
            ids[0] = 1;
            for (int t = 1; t < len; t++) {
                ids[t] = 3 + (start + stride * t) % 60;
                targets[t] = true;
            }
            out.add(new TokenizedExample(ids, targets));
        }
        return out;
    }
}
