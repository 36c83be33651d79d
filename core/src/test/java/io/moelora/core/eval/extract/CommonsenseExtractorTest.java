package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The commonsense examples of docs/PROTOCOL.md and regex alternation semantics. */
class CommonsenseExtractorTest {

    private static final List<String> ANSWERS = List.of("answer1", "answer2", "answer3", "answer4", "answer5");

    @Test
    void protocolExamples() {
        CommonsenseExtractor boolq = new CommonsenseExtractor(List.of("true", "false"));
        assertThat(boolq.extract("the correct answer is True")).isEmpty();
        assertThat(boolq.extract("false, not true")).isEqualTo("false");
        assertThat(new CommonsenseExtractor(ANSWERS).extract("answer12")).isEqualTo("answer1");
        assertThat(new CommonsenseExtractor(List.of("option1", "option2")).extract("Option1")).isEmpty();
    }

    @Test
    void leftmostMatchWinsThenFirstAlternative() {
        assertThat(new CommonsenseExtractor(ANSWERS).extract("answer3 or answer1")).isEqualTo("answer3");
        // at the same position the earlier alternative wins, even when a later one is longer
        assertThat(new CommonsenseExtractor(List.of("end", "ending1")).extract("ending1")).isEqualTo("end");
        assertThat(new CommonsenseExtractor(List.of("true", "false")).extract("untrue")).isEqualTo("true");
    }

    @Test
    void labelsAreLiteralNotRegex() {
        assertThat(new CommonsenseExtractor(List.of("a.b")).extract("axb")).isEmpty();
    }

    @Test
    void rejectsAnEmptyAlternation() {
        assertThatThrownBy(() -> new CommonsenseExtractor(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alternation");
    }
}
