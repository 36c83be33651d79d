package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Names to graders: each name judges with its answer kind's comparison. */
class ExtractorsTest {

    @Test
    void everyNameHasAGrader() {
        for (String name : Extractors.NAMES) {
            assertThat(Extractors.grader(name, List.of("true", "false"))).as(name).isNotNull();
        }
    }

    @Test
    void labelGradersCompareExactly() {
        Grader aqua = Extractors.grader(AquaExtractor.NAME, List.of());
        assertThat(aqua.grade("Answer: (D)", "A")).isEqualTo(new Graded("A", true));
        assertThat(Extractors.grader(FixedAquaExtractor.NAME, List.of()).grade("Answer: (D)", "A"))
                .isEqualTo(new Graded("D", false));
        Grader boolq = Extractors.grader(CommonsenseExtractor.NAME, List.of("true", "false"));
        assertThat(boolq.grade("the correct answer is True", "true")).isEqualTo(new Graded("", false));
    }

    @Test
    void numericGradersUseTheTolerance() {
        assertThat(Extractors.grader(NumericExtractor.NAME, List.of()).grade("5 - 3 = 2", "2"))
                .isEqualTo(new Graded("2.0", true));
        assertThat(Extractors.grader(StrictNumericExtractor.NAME, List.of()).grade("5 - 3 = 2", "2"))
                .isEqualTo(new Graded("inf", false));
        assertThat(Extractors.isNumeric("numeric-strict")).isTrue();
        assertThat(Extractors.isNumeric("aqua")).isFalse();
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Extractors.grader("regex", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown extractor 'regex'").hasMessageContaining("aqua-fixed");
    }
}
