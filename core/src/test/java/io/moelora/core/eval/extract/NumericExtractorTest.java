package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The numeric edge-case table of docs/PROTOCOL.md, plus Unicode digits and the tolerance. */
class NumericExtractorTest {

    private final NumericExtractor extractor = new NumericExtractor();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "The answer is 1,234.5.              | 1234.5",
        "The answer is 5.</s>                | 5.0",
        "5-3                                 | -3.0",
        "5 - 3 = 2                           | 2.0",
        "3/4 of 8 is 6. The answer is 6/1    | 1.0",
        "The answer is .5                    | 5.0",
        "value 1e5                           | 5.0",
        "3.14.15                             | 15.0",
        "12.5%                               | 12.5",
        "1 000                               | 0.0",
        "\u22124                             | 4.0",
        "$1,000,000                          | 1000000.0",
        "no number here                      | inf",
    })
    void protocolTable(String response, String prediction) {
        assertThat(PythonFloat.repr(extractor.extract(response))).isEqualTo(prediction);
    }

    @Test
    void emptyResponseHasNoNumber() {
        assertThat(extractor.extract("")).isInfinite().isPositive();
    }

    @Test
    void unicodeDigitsCountAsPythonDigits() {
        assertThat(extractor.extract("the answer is \u0664\u0662")).isEqualTo(42.0); // Arabic-Indic
        assertThat(extractor.extract("\uff13\uff0e5")).isEqualTo(5.0); // fullwidth full stop is not ASCII '.'
        assertThat(extractor.extract("x \ud835\udfd0\ud835\udfd1")).isEqualTo(23.0); // mathematical bold digits
    }

    @Test
    void negativeZeroAndTrailingDot() {
        assertThat(PythonFloat.repr(extractor.extract("it is -0"))).isEqualTo("-0.0");
        assertThat(extractor.extract("total 7.")).isEqualTo(7.0);
    }

    @Test
    void hugeNumbersBecomeInfinityLikePythonFloat() {
        assertThat(extractor.extract("1".repeat(400))).isInfinite();
    }

    @Test
    void correctWithinOneThousandth() {
        NumericGrader grader = new NumericGrader(extractor::extract);
        assertThat(grader.grade("The answer is 0.667", "0.6666666666666666").correct()).isTrue();
        assertThat(grader.grade("The answer is 0.6", "0.6666666666666666").correct()).isFalse();
        assertThat(grader.grade("The answer is 4", "4.0005").correct()).isTrue();
        // in doubles, as in Python, abs(4.001 - 4) = 0.001000000000000334 > 0.001
        assertThat(grader.grade("The answer is 4", "4.001").correct()).isFalse();
        assertThat(grader.grade("The answer is 1", "1.001").correct()).isTrue(); // 0.000999999999999889
        assertThat(grader.grade("The answer is 576", "576.0")).isEqualTo(new Graded("576.0", true));
        assertThat(grader.grade("no idea", "5")).isEqualTo(new Graded("inf", false));
    }
}
