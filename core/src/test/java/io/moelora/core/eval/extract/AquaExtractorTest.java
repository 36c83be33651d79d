package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference AQuA extractor: first capital A–E anywhere, as docs/PROTOCOL.md requires. */
class AquaExtractorTest {

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Answer: (D)                | A",
        "the answer is d            | \"\"",
        "The answer is (C).         | C",
        "(E)                        | E",
        "Because BOTH are wrong     | B",
        "nothing upper here         | \"\"",
        "\"\"                         | \"\"",
    })
    void firstCapitalOptionLetter(String response, String prediction) {
        assertThat(new AquaExtractor().extract(response)).isEqualTo(prediction);
    }
}
