package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The improved numeric extractor on the protocol table and on stated answers. */
class StrictNumericExtractorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "The answer is 1,234.5.                        | 1234.5",
        "The answer is 5.</s>                          | 5.0",
        "5-3                                           | inf",
        "5 - 3 = 2                                     | inf",
        "3/4 of 8 is 6. The answer is 6/1              | 6.0",
        "The answer is 3/4                             | 0.75",
        "The answer is 3/0                             | inf",
        "The answer is .5                              | 0.5",
        "The answer is \u22124                         | -4.0",
        "The answer is -4                              | -4.0",
        "The answer is $1,000,000                      | 1000000.0",
        "the Answer Is: 12                             | 12.0",
        "The answer is 3. Wait, the answer is 8 apples | 8.0",
        "The answer is \u0664\u0662                    | 42.0",
        "The answer is twelve                          | inf",
        "no number here                                | inf",
    })
    void readsOnlyAStatedAnswer(String response, String prediction) {
        assertThat(PythonFloat.repr(new StrictNumericExtractor().extract(response))).isEqualTo(prediction);
    }
}
