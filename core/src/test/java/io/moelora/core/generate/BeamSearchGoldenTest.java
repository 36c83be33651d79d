package io.moelora.core.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyModels;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beam search on the tiny model against {@code tools/beam_reference.py} (16 cases, K = 1, 2, 4). */
class BeamSearchGoldenTest {

    @TempDir
    Path dir;

    @Test
    void everyCaseMatchesTheReference() {
        JsonNode cases = GoldenFixtures.json("beam/beam-cases.json").get("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(12);
        try (LoadedModel base = TinyModels.halfMha(dir)) {
            for (JsonNode c : cases) {
                Set<Integer> stop = new HashSet<>();
                c.get("stop_ids").forEach(s -> stop.add(s.asInt()));
                BeamSearch.LengthMode mode = c.get("length_mode").asText().equals("generated")
                        ? BeamSearch.LengthMode.GENERATED : BeamSearch.LengthMode.PROMPT_AND_GENERATED;
                BeamSearch search = new BeamSearch(base.model(), stop, AdapterProvider.NONE, new BeamSearch.Settings(
                        c.get("K").asInt(), c.get("max_new_tokens").asInt(), c.get("length_penalty").asDouble(), mode));
                BeamSearch.Hypothesis h = search.search(ints(c.get("prompt")));
                String name = c.get("name").asText();
                assertThat(h.tokens()).as(name).containsExactly(ints(c.get("expected_tokens")));
                assertThat(h.finished()).as(name).isEqualTo(c.get("expected_finished").asBoolean());
                assertThat(h.score()).as(name).isCloseTo(c.get("expected_score").asDouble(), within(1e-4));
            }
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
