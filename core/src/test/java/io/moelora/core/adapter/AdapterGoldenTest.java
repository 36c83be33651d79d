package io.moelora.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.io.SafetensorsFile;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import io.moelora.core.train.LanguageModelLoss;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA and MoELoRA against the independent PyTorch reference ({@code tools/adapter_reference.py}):
 * logits, LM / contrastive / balance losses, and the gradients of every A, B and router tensor.
 */
class AdapterGoldenTest {

    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lora_r4", "moelora_n4_top1", "moelora_n4_top2", "moelora_n8_top2"})
    void matchesTheReference(String name) throws Exception {
        JsonNode golden = GoldenFixtures.json("adapters/" + name + ".json");
        Path st = dir.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("/golden/adapters/" + name + ".safetensors")) {
            Files.copy(in, st);
        }
        SafetensorsFile reference = SafetensorsFile.open(st);
        Path modelDir = TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir.resolve("base"));

        AdapterConfig config = config(golden.get("adapter_config"));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        reference.entries().values().stream()
                .filter(e -> e.name().startsWith("base_model.") && !e.name().endsWith(".grad"))
                .forEach(e -> {
                    values.put(e.name(), reference.readFloats(e.name()));
                    shapes.put(e.name(), e.shape());
                });

        try (LoadedModel loaded = ModelLoader.load(modelDir, null);
                AdapterSet adapters = AdapterSet.fromPeft(loaded.model(), config, values, shapes, st.toString());
                NDManager step = DjlRuntime.newManager()) {
            TokenBatch batch = batch(golden.get("inputs"));
            DjlRuntime.trainingMode();
            try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                AdapterPass pass = adapters.pass(step, batch, false, true, 7);
                NDArray logits = loaded.model().logits(step, batch, null, pass); // (2, 8, 64)
                NDArray lm = LanguageModelLoss.compute(logits, batch, batch.valid());
                NDArray cl = pass.contrastiveLoss();
                NDArray bal = pass.balanceLoss();
                NDArray total = lm.add(cl.mul(step.create((float) config.contrastiveWeight())))
                        .add(bal.mul(step.create((float) config.balanceWeight())));
                JsonNode scalars = golden.get("scalars");
                assertThat(lm.getFloat()).isCloseTo((float) scalars.get("lm_loss").asDouble(), within(TOLERANCE));
                assertThat(cl.getFloat()).isCloseTo((float) scalars.get("contrastive_loss").asDouble(), within(TOLERANCE));
                assertThat(bal.getFloat()).isCloseTo((float) scalars.get("balance_loss").asDouble(), within(TOLERANCE));
                assertThat(total.getFloat()).isCloseTo((float) scalars.get("total_loss").asDouble(), within(TOLERANCE));
                assertValidLogits(logits.toFloatArray(), reference.readFloats("logits"), batch);
                collector.backward(total);
            } finally {
                DjlRuntime.inferenceMode();
            }
            List<String> checked = new ArrayList<>();
            adapters.parameters().forEach((key, p) -> {
                try (NDArray grad = p.value().getGradient()) {
                    float[] actual = p.layout().toPeft(grad.toFloatArray(), p.peftShape());
                    float[] expected = reference.readFloats(key + ".grad");
                    float scale = 0f;
                    for (float e : expected) {
                        scale = Math.max(scale, Math.abs(e));
                    }
                    // router gradients of top-1 come only from the balance loss and are tiny: compare relatively too
                    float tolerance = Math.min(TOLERANCE, Math.max(1e-3f * scale, 1e-6f));
                    for (int i = 0; i < actual.length; i++) {
                        assertThat(actual[i]).as("%s.grad[%d]", key, i).isCloseTo(expected[i], within(tolerance));
                    }
                    checked.add(key);
                }
            });
            assertThat(checked).hasSize(values.size());
        }
    }

    private static void assertValidLogits(float[] actual, float[] expected, TokenBatch batch) {
        int vocab = actual.length / (batch.batchSize() * batch.length());
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.length(); t++) {
                if (!batch.valid()[b][t]) {
                    continue; // padding rows depend on the masking convention
                }
                for (int v = 0; v < vocab; v++) {
                    int i = (b * batch.length() + t) * vocab + v;
                    assertThat(actual[i]).as("logit[%d,%d,%d]", b, t, v).isCloseTo(expected[i], within(TOLERANCE));
                }
            }
        }
    }

    static TokenBatch batch(JsonNode inputs) {
        JsonNode ids = inputs.get("ids");
        JsonNode valid = inputs.get("valid");
        long[][] i = new long[ids.size()][];
        boolean[][] v = new boolean[ids.size()][];
        for (int b = 0; b < ids.size(); b++) {
            i[b] = new long[ids.get(b).size()];
            v[b] = new boolean[ids.get(b).size()];
            for (int t = 0; t < i[b].length; t++) {
                i[b][t] = ids.get(b).get(t).asLong();
                v[b][t] = valid.get(b).get(t).asBoolean() || valid.get(b).get(t).asInt() == 1;
            }
        }
        return new TokenBatch(i, v);
    }

    static AdapterConfig config(JsonNode a) {
        List<String> targets = new ArrayList<>();
        a.get("targets").forEach(t -> targets.add(t.asText()));
        if (a.get("type").asText().equals("lora")) {
            return AdapterConfig.lora(a.get("r").asInt(), a.get("alpha").asDouble(), 0, targets);
        }
        return AdapterConfig.moelora(a.get("num_experts").asInt(), a.get("top_k").asInt(), a.get("expert_r").asInt(),
                a.get("alpha").asDouble(), 0, targets, a.get("beta").asDouble(), a.get("tau").asDouble(),
                a.get("max_samples").asInt(), a.get("gamma").asDouble());
    }
}
