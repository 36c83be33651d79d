package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.core.data.Prompts;
import org.junit.jupiter.api.Test;

/** The response cut: after the first marker, up to the next, stripped like Python's str.strip(). */
class ResponseTextTest {

    @Test
    void takesTheTextBetweenTheFirstAndSecondMarker() {
        String decoded = Prompts.evaluation("What is 2+2?", "") + "The answer is 4\n\n### Response:\nThe answer is 5";
        assertThat(ResponseText.of(decoded)).isEqualTo("The answer is 4");
    }

    @Test
    void takesEverythingAfterASingleMarker() {
        assertThat(ResponseText.of("prompt ### Response:\n   the correct answer is true</s>  "))
                .isEqualTo("the correct answer is true</s>");
    }

    @Test
    void adjacentMarkersGiveAnEmptyResponse() {
        assertThat(ResponseText.of("x### Response:### Response:y")).isEmpty();
    }

    @Test
    void withoutAMarkerTheWholeTextIsTheResponse() {
        assertThat(ResponseText.of("  The answer is 7\n")).isEqualTo("The answer is 7");
    }

    @Test
    void continuationIsCutAtItsOwnMarker() {
        assertThat(ResponseText.ofContinuation(" 7\n### Response: 8")).isEqualTo("7");
        String continuation = " 7\n### Response: 8";
        assertThat(ResponseText.ofContinuation(continuation))
                .isEqualTo(ResponseText.of(Prompts.evaluation("q", "") + continuation));
    }

    @Test
    void marksAreNotRegex() {
        assertThat(ResponseText.of("a### Response:b.c### Response")).isEqualTo("b.c### Response");
    }

    @Test
    void stripsPythonWhitespaceIncludingNoBreakSpaces() {
        assertThat(PythonText.strip("\u00a0\u2007\u202f\u3000\u001c answer1 \u0085\u2028\u000b")).isEqualTo("answer1");
        // zero-width space and BOM are not whitespace in Python
        assertThat(PythonText.strip("\u200banswer1\ufeff")).isEqualTo("\u200banswer1\ufeff");
    }
}
