package io.moelora.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beam search with one beam is greedy decoding; wider beams never score worse; top-k selection. */
class BeamSearchTest {

    @TempDir
    static Path dir;

    static LoadedModel base;

    static final List<int[]> PROMPTS = List.of(new int[] {1, 5, 9, 14}, new int[] {1, 40, 3, 22, 11}, new int[] {1, 7});

    @BeforeAll
    static void load() {
        base = TinyModels.halfMha(dir);
    }

    @AfterAll
    static void close() {
        base.close();
    }

    private static BeamSearch beams(LlamaModel m, int k, Set<Integer> stop) {
        return new BeamSearch(m, stop, AdapterProvider.NONE, new BeamSearch.Settings(k, 12, 1.0, BeamSearch.LengthMode.GENERATED));
    }

    @Test
    void oneBeamEqualsGreedy() {
        for (Set<Integer> stop : List.of(Set.of(2), Set.of(21, 62))) {
            List<int[]> greedy = new GreedyGenerator(base.model(), stop).generate(PROMPTS, 12);
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertThat(beams(base.model(), 1, stop).search(PROMPTS.get(i)).tokens())
                        .as("prompt %d, stop %s", i, stop).containsExactly(greedy.get(i));
            }
        }
    }

    @Test
    void batchedGreedyEqualsOneByOne() {
        List<int[]> batched = new GreedyGenerator(base.model(), Set.of(2)).generate(PROMPTS, 12);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(batched.get(i)).containsExactly(
                    new GreedyGenerator(base.model(), Set.of(2)).generate(List.of(PROMPTS.get(i)), 12).get(0));
        }
    }

    @Test
    void aLongNeighbourNearTheContextLimitDoesNotShortenOtherRows() {
        int[] longPrompt = new int[120]; // the tiny model's context is 128
        java.util.Arrays.fill(longPrompt, 9);
        longPrompt[0] = 1;
        List<int[]> prompts = List.of(longPrompt, new int[] {1, 40, 3});
        List<int[]> batched = new GreedyGenerator(base.model(), Set.of()).generate(prompts, 20);
        assertThat(batched.get(0)).hasSize(8);
        assertThat(batched.get(1)).hasSize(20).containsExactly(
                new GreedyGenerator(base.model(), Set.of()).generate(List.of(prompts.get(1)), 20).get(0));
    }

    @Test
    void topTokensPicksTheLargestWithLowerIndexOnTies() {
        float[] row = {0.5f, 2f, 2f, -1f, 3f, 0.5f};
        assertThat(BeamSearch.topTokens(row, 3)).containsExactly(4, 1, 2);
        assertThat(BeamSearch.topTokens(row, 5)).containsExactly(4, 1, 2, 0, 5);
        assertThat(BeamSearch.topTokens(row, 10)).hasSize(6);
    }
}
