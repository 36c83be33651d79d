package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny Hugging Face model written by the test itself, against logits from the independent PyTorch
 * reference ({@code tools/golden_reference.py}): both RoPE layouts, grouped-query attention with
 * q/k/v biases, tied and untied heads.
 */
class TinyLlamaGoldenTest {

    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"half_mha", "interleaved_mha", "half_gqa_bias"})
    void logitsMatchTheReference(String config) throws Exception {
        JsonNode golden = GoldenFixtures.json("tiny-llama-" + config + ".json");
        try (LoadedModel m = ModelLoader.load(TinyLlamaFixture.write(golden, dir.resolve(config)), null);
                NDManager step = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            for (int s = 0; s < golden.get("inputs").size(); s++) {
                int[] input = ids(golden.get("inputs").get(s));
                JsonNode expected = golden.get("logits").get(s); // (T, V)
                float[] actual = m.model().logits(step, TokenBatch.leftPadded(List.of(input), 0), null).toFloatArray();
                int vocab = m.model().config().vocabSize();
                float worst = 0f;
                for (int t = 0; t < input.length; t++) {
                    for (int v = 0; v < vocab; v++) {
                        float diff = Math.abs(actual[t * vocab + v] - GoldenFixtures.f32(expected.get(t).get(v)));
                        worst = Math.max(worst, diff);
                    }
                }
                assertThat(worst).as("max |logit diff| of %s sequence %d", config, s).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"half_mha", "interleaved_mha", "half_gqa_bias"})
    void batchedGreedyWithCacheMatchesTheReferenceContinuation(String config) throws Exception {
        JsonNode golden = GoldenFixtures.json("tiny-llama-" + config + ".json");
        try (LoadedModel m = ModelLoader.load(TinyLlamaFixture.write(golden, dir.resolve(config)), null)) {
            List<int[]> prompts = List.of(ids(golden.get("inputs").get(0)), ids(golden.get("inputs").get(1)));
            // no stop ids: the reference continues 8 tokens regardless of EOS
            List<int[]> out = new GreedyGenerator(m.model(), java.util.Set.of()).generate(prompts, 8);
            assertThat(out.get(0)).containsExactly(ids(golden.get("greedy").get(0)));
            assertThat(out.get(1)).containsExactly(ids(golden.get("greedy").get(1)));
        }
    }

    static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
