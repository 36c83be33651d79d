package io.moelora.core.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.moelora.core.io.BuiltinModels;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A short full-weight pre-training of the tiny config: it learns, it is deterministic, memory stays flat. */
class BasePretrainerTest {

    static final PretrainOptions SHORT = new PretrainOptions(12, 4, 64, 3e-3, 2, 0.01, 1.0, 7L, 8);

    private final PretrainCorpus corpus = PretrainCorpus.builtin(new ByteTokenizer());

    @Test
    void shortRunLowersCorpusLossAndReportsEveryStep() {
        List<PretrainStep> steps = new ArrayList<>();
        try (TrainableBase base = TrainableBase.initial(BuiltinModels.tinyConfig())) {
            PretrainReport report = new BasePretrainer(base, corpus, SHORT).run(steps::add);
            assertThat(report.initialLoss()).isFinite();
            // 12 small updates already take the synthetic init (about 13.6 nats/byte) well below ln(259) = 5.56
            assertThat(report.finalLoss()).isLessThan(report.initialLoss() * 0.6);
            assertThat(steps).extracting(PretrainStep::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(steps).allMatch(s -> s.totalSteps() == 12 && Double.isFinite(s.loss()) && s.tokensPerSecond() > 0);
            assertThat(steps.get(11).loss()).isLessThan(steps.get(0).loss());
            assertThat(new BasePretrainer(base, corpus, SHORT).evaluationLoss()).isEqualTo(report.finalLoss());
        }
    }

    @Test
    void twoRunsWithTheSameOptionsGiveIdenticalWeightsAndAnotherSeedDoesNot() {
        Map<String, float[]> first = trainedWeights(SHORT.withSteps(4));
        Map<String, float[]> second = trainedWeights(SHORT.withSteps(4));
        Map<String, float[]> otherSeed = trainedWeights(SHORT.withSteps(4).withSeed(8L));
        assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
        first.forEach((name, values) -> assertThat(second.get(name)).as(name).containsExactly(values));
        assertThat(otherSeed.get("model.embed_tokens.weight")).isNotEqualTo(first.get("model.embed_tokens.weight"));
    }

    @Test
    void updatesLeaveNoArraysInTheWeightsManager() {
        try (TrainableBase base = TrainableBase.initial(BuiltinModels.tinyConfig())) {
            new BasePretrainer(base, corpus, SHORT.withSteps(2)).run(PretrainListener.NONE);
            int held = base.model().weightsManager().getManagedArrays().size();
            new BasePretrainer(base, corpus, SHORT.withSteps(5)).run(PretrainListener.NONE);
            assertThat(base.model().weightsManager().getManagedArrays()).hasSize(held);
        }
    }

    private Map<String, float[]> trainedWeights(PretrainOptions options) {
        try (TrainableBase base = TrainableBase.initial(BuiltinModels.tinyConfig())) {
            new BasePretrainer(base, corpus, options).run(PretrainListener.NONE);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> p : base.parameters().entrySet()) {
                out.put(p.getKey(), p.getValue().toFloatArray());
            }
            return out;
        }
    }
}
