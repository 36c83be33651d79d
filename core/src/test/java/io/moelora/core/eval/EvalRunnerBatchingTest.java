package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Greedy evaluation batches items by prompt length, not in suite order: the scores and every
 * item's response must be those of one item at a time, reported in the suite's order. stories260K,
 * because its continuations differ from prompt to prompt (an untrained base answers every prompt
 * alike, which would hide an item given another's answer).
 */
class EvalRunnerBatchingTest {

    @Test
    void lengthSortedBatchesScoreExactlyAsOneItemAtATime() {
        SuiteRegistry registry = SuiteRegistry.standard();
        try (LoadedModel base = ModelLoader.load(SharedFiles.require("models/stories260K/stories260K.bin"),
                SharedFiles.require("models/stories260K/tok512.bin"))) {
            for (String name : List.of(SyntheticSuites.ADDSUB, SyntheticSuites.CHOICE)) {
                Suite suite = SyntheticSuites.test(registry.get(name), 3, 40);
                List<Integer> progress = new ArrayList<>();
                EvalRunner.SuiteRun batched = runner(base, 4).run(suite, progress::add);
                EvalRunner.SuiteRun alone = runner(base, 1).run(suite, i -> {});

                assertThat(batched.originalIndices()).isEqualTo(alone.originalIndices());
                List<ItemScore> items = batched.scores().get(0).items();
                assertThat(items).hasSize(10);
                assertThat(items.stream().map(ItemScore::index).toList())
                        .as("reported in the subset's order").isEqualTo(batched.originalIndices());
                assertThat(items).isEqualTo(alone.scores().get(0).items());
                assertThat(items.stream().map(ItemScore::response).distinct().count())
                        .as("different responses, so a mix-up would show").isGreaterThan(1);
                assertThat(batched.scores()).isEqualTo(alone.scores());
                assertThat(batched.generatedTokens()).isEqualTo(alone.generatedTokens());
                assertThat(progress).containsExactly(4, 8, 10);
            }
        }
    }

    private static EvalRunner runner(LoadedModel base, int batch) {
        EvalSettings settings = new EvalSettings(1, 1.0, BeamSearch.LengthMode.GENERATED, 10, 5L, batch, 12);
        return new EvalRunner(base, AdapterProvider.NONE, settings);
    }
}
