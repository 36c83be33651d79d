package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.SharedFiles;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published test vector of stories260K (llama2.c run.c, greedy from BOS). */
class Stories260KGoldenTest {

    static final int[] GOLDEN = {403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401,
            396, 267, 337, 410, 408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385, 328, 432, 358, 394, 261, 370, 432,
            352, 266, 268, 388, 426, 338, 391, 266, 267, 337, 335, 312, 432, 398, 312, 286, 267, 414, 270, 333, 415, 426,
            13, 438, 310};

    static LoadedModel load() {
        return ModelLoader.load(SharedFiles.require("models/stories260K/stories260K.bin"),
                SharedFiles.require("models/stories260K/tok512.bin"));
    }

    @Test
    void greedyFromBosGivesThe64GoldenIds() {
        try (LoadedModel m = load()) {
            int[] ids = new GreedyGenerator(m.model(), m.stopIds()).generate(List.of(new int[] {1}), 64).get(0);
            assertThat(ids).containsExactly(GOLDEN);
            assertThat(m.tokenizer().decode(1, ids))
                    .startsWith("Once upon a time, there was a little girl named Lily. She loved to play outside in the park.");
        }
    }

    @Test
    void topFiveLogitsAtStepZeroMatchTheReference() {
        try (LoadedModel m = load(); NDManager step = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            float[] logits = m.model().lastLogits(step, TokenBatch.leftPadded(List.of(new int[] {1}), 0), null)
                    .toFloatArray();
            Integer[] order = new Integer[logits.length];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
            assertThat(Arrays.copyOf(order, 5)).containsExactly(403, 385, 410, 317, 407);
            assertThat(logits[403]).isCloseTo(17.024f, within(1e-3f));
            assertThat(logits[385]).isCloseTo(15.406f, within(1e-3f));
            assertThat(logits[410]).isCloseTo(13.108f, within(1e-3f));
            assertThat(logits[317]).isCloseTo(12.769f, within(1e-3f));
            assertThat(logits[407]).isCloseTo(12.418f, within(1e-3f));
        }
    }
}
