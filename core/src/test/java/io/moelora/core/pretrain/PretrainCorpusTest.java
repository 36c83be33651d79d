package io.moelora.core.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

/** The built-in corpus: generic text plus prompt scaffolding, and none of the synthetic suites' test items. */
class PretrainCorpusTest {

    private final PretrainCorpus corpus = PretrainCorpus.builtin(new ByteTokenizer());

    @Test
    void holdsTensOfKilobytesOfDocumentsAndBothPromptForms() {
        assertThat(corpus.tokenCount()).isBetween(20_000, 200_000);
        assertThat(corpus.documents()).hasSizeGreaterThan(300);
        assertThat(corpus.documents()).anyMatch(d -> d.contains("### Instruction:") && d.contains("request.  \n\n"));
        assertThat(corpus.documents()).anyMatch(d -> d.contains("### Instruction:") && d.contains("request. \n\n"));
        int[] tokens = corpus.tokens();
        for (int start : corpus.documentStarts()) {
            assertThat(tokens[start]).isEqualTo(ByteTokenizer.BOS);
        }
        assertThat(tokens[tokens.length - 1]).isEqualTo(ByteTokenizer.EOS);
    }

    @Test
    void digestIdentifiesTheTokenStream() {
        assertThat(PretrainCorpus.builtin(new ByteTokenizer()).digest()).isEqualTo(corpus.digest()).hasSize(64);
        assertThat(PretrainCorpus.of(java.util.List.of("A cat sleeps."), new ByteTokenizer()).digest())
                .isNotEqualTo(corpus.digest());
    }

    @Test
    void containsNoSyntheticTestItemNorTheTaskAnswerFormats() {
        String text = String.join("\n", corpus.documents());
        for (String suite : SyntheticSuites.NAMES) {
            for (SuiteExample e : SyntheticSuites.testExamples(suite, SyntheticSuites.DEFAULT_SEED, 300)) {
                assertThat(text).as(suite).doesNotContain(e.instruction());
            }
        }
        assertThat(text).doesNotContainIgnoringCase("the answer is").doesNotContainIgnoringCase("answer1")
                .doesNotContainIgnoringCase("answer2").doesNotContain("How many");
    }
}
