package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fixed AQuA extractor reads the option the response states. */
class FixedAquaExtractorTest {

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Answer: (D)                                                  | D",
        "the answer is d                                              | D",
        "The difference is $1.23.The answer is (D).                   | D",
        "Answer: C                                                    | C",
        "The answer is B, because A is too small                      | B",
        "the answer is (b)                                            | B",
        "First I thought the answer is (A). No: the answer is (E).    | E",
        "the answer is a number                                       | \"\"",
        "Both (A) 12 and (C) 14 fit, but only (C) works               | C",
        "Option B) is right                                           | B",
        "A word ABC with no option                                    | \"\"",
        "\"\"                                                           | \"\"",
    })
    void statedOption(String response, String prediction) {
        assertThat(new FixedAquaExtractor().extract(response)).isEqualTo(prediction);
    }
}
