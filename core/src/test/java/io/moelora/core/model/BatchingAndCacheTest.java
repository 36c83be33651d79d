package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Left-padded batches equal per-sequence forwards; KV-cache decoding equals full recomputation. */
class BatchingAndCacheTest {

    static final float TOLERANCE = 1e-5f;
    static final int[] LONG = {1, 5, 9, 14, 33, 2, 60, 7};
    static final int[] SHORT = {1, 40, 3, 22, 11};

    @TempDir
    static Path dir;

    static LoadedModel loaded;

    @BeforeAll
    static void load() throws Exception {
        // grouped-query attention with biases: the most moving parts
        loaded = ModelLoader.load(TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_gqa_bias.json"), dir), null);
        DjlRuntime.inferenceMode();
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    @Test
    void leftPaddedBatchEqualsEachSequenceAlone() {
        LlamaModel model = loaded.model();
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray batched = model.logits(m, TokenBatch.leftPadded(List.of(LONG, SHORT), 0), null); // (2, 8, V)
            NDArray longAlone = model.logits(m, TokenBatch.leftPadded(List.of(LONG), 0), null); // (1, 8, V)
            NDArray shortAlone = model.logits(m, TokenBatch.leftPadded(List.of(SHORT), 0), null); // (1, 5, V)
            int pad = LONG.length - SHORT.length;
            assertClose(batched.get(new NDIndex("0")), longAlone.get(new NDIndex("0")));
            assertClose(batched.get(new NDIndex("1, " + pad + ":")), shortAlone.get(new NDIndex("0")));
            assertThat(batched.get(new NDIndex("1, :" + pad)).isNaN().any().getBoolean()).as("padding rows stay finite").isFalse();
        }
    }

    @Test
    void cachedDecodingEqualsFullRecomputation() {
        LlamaModel model = loaded.model();
        try (NDManager call = DjlRuntime.newManager(); KvCache cache = model.newCache(call, 2)) {
            List<int[]> prompts = List.of(LONG, SHORT);
            List<List<Integer>> sequences = new ArrayList<>();
            prompts.forEach(p -> sequences.add(new ArrayList<>(java.util.Arrays.stream(p).boxed().toList())));
            TokenBatch step = TokenBatch.leftPadded(prompts, 0);
            // 80 steps run past the cache's first allocation (prompt + 64 positions), so its growth is covered
            for (int i = 0; i < 80; i++) {
                try (NDManager m = call.newSubManager()) {
                    NDArray cached = model.lastLogits(m, step, cache); // (2, V)
                    List<int[]> full = sequences.stream().map(s -> s.stream().mapToInt(Integer::intValue).toArray()).toList();
                    NDArray recomputed = model.lastLogits(m, TokenBatch.leftPadded(full, 0), null); // (2, V)
                    assertClose(cached, recomputed);
                    long[] next = cached.argMax(-1).toLongArray();
                    for (int b = 0; b < 2; b++) {
                        sequences.get(b).add((int) next[b]);
                    }
                    step = TokenBatch.column(next);
                }
            }
            assertThat(cache.length()).isEqualTo(LONG.length + 79);
        }
    }

    static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float worst = actual.sub(expected).abs().max().getFloat();
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }
}
