package io.moelora.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The Java weight generator reproduces the reference script's values bit for bit. */
class TinyLlamaFixtureTest {

    @Test
    void splitmixAndWeightsMatchTheReferenceSamples() {
        JsonNode samples = GoldenFixtures.json("weight-samples.json");
        for (JsonNode v : samples.get("splitmix64")) {
            long in = new BigInteger(v.get("in").asText()).longValue();
            long out = new BigInteger(v.get("out").asText()).longValue();
            assertThat(TinyLlamaFixture.splitmix64(in)).isEqualTo(out);
        }
        JsonNode tensors = samples.get("configs").get("half_gqa_bias");
        assertThat(tensors.size()).isGreaterThan(20);
        for (JsonNode t : tensors) {
            String name = t.get("name").asText();
            long cols = t.get("shape").size() > 1 ? t.get("shape").get(1).asLong() : 1;
            double s = name.endsWith("norm.weight") ? 0.1 : name.equals("model.embed_tokens.weight") ? 0.5
                    : name.endsWith(".bias") ? 0.1 : 1.0 / Math.sqrt(cols);
            double c = name.endsWith("norm.weight") ? 1.0 : 0.0;
            for (int i = 0; i < 3; i++) {
                assertThat(TinyLlamaFixture.weight(t.get("k").asInt(), i, s, c))
                        .as("%s[%d]", name, i).isEqualTo(GoldenFixtures.f32(t.get("first").get(i)));
            }
        }
    }
}
