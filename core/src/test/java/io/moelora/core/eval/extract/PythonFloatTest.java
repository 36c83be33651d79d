package io.moelora.core.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outputs checked against CPython 3.11's {@code repr(float)} and {@code float(str)}. */
class PythonFloatTest {

    @ParameterizedTest(name = "repr({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "8.0                     | 8.0",
        "-3.0                    | -3.0",
        "1234.5                  | 1234.5",
        "0x1.5555555555555p-1    | 0.6666666666666666",
        "0x1.5555555555555p-2    | 0.3333333333333333",
        "1e16                    | 1e+16",
        "1e15                    | 1000000000000000.0",
        "123456789012345.0       | 123456789012345.0",
        "1234567890123456.0      | 1234567890123456.0",
        "12345678901234567.0     | 1.2345678901234568e+16",
        "9007199254740992.0      | 9007199254740992.0",
        "1e-4                    | 0.0001",
        "1.5e-4                  | 0.00015",
        "1e-5                    | 1e-05",
        "5e-5                    | 5e-05",
        "1.5e-5                  | 1.5e-05",
        "-1.5e-7                 | -1.5e-07",
        "0.1                     | 0.1",
        "0x1.3333333333334p-2    | 0.30000000000000004",
        "0.0                     | 0.0",
        "-0.0                    | -0.0",
        "4.9e-324                | 5e-324",
        "1.5e-323                | 1.5e-323",
        "1.7976931348623157e308  | 1.7976931348623157e+308",
        "2.2250738585072014e-308 | 2.2250738585072014e-308",
        "1e22                    | 1e+22",
        "1e23                    | 1e+23",
        "1e100                   | 1e+100",
        "100.0                   | 100.0",
        "576.0                   | 576.0",
        "100000.0                | 100000.0",
        "123.456                 | 123.456",
    })
    void reprMatchesPython(double value, String python) {
        assertThat(PythonFloat.repr(value)).isEqualTo(python);
    }

    @Test
    void reprOfNonFiniteValues() {
        assertThat(PythonFloat.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(PythonFloat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(PythonFloat.repr(Double.NaN)).isEqualTo("nan");
    }

    @Test
    void reprReadsBackExactly() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            double x = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(x)) {
                assertThat(Double.parseDouble(PythonFloat.repr(x))).isEqualTo(x);
            }
        }
    }

    @ParameterizedTest(name = "float({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "4                   | 4.0",
        "576.0               | 576.0",
        "0.6666666666666666  | 0.6666666666666666",
        "-12.5               | -12.5",
        "+3                  | 3.0",
        "5.                  | 5.0",
        ".5                  | 0.5",
        "1e5                 | 100000.0",
        "1_000               | 1000.0",
        "'  7\n'             | 7.0",
        "\u0663\u0664        | 34.0",
        "\uff11\uff12.5      | 12.5",
        "Infinity            | inf",
        "-inf                | -inf",
    })
    void parseMatchesPythonFloat(String text, String python) {
        assertThat(PythonFloat.repr(PythonFloat.parse(text))).isEqualTo(python);
    }

    @Test
    void parseRejectsWhatPythonRejects() {
        for (String bad : new String[] {"", "abc", "1,000", "1__0", "_1", "1_", "0x10", "1e", "--1", "1.5f", "1d"}) {
            assertThatThrownBy(() -> PythonFloat.parse(bad)).as(bad).isInstanceOf(NumberFormatException.class)
                    .hasMessageContaining("could not convert string to float");
        }
        assertThat(PythonFloat.parse("nan")).isNaN();
    }

    @Test
    void asciiDigitsConvertsEveryDecimalDigit() {
        assertThat(PythonFloat.asciiDigits("\u0663.\u096a-\ud835\udfcf x9")).isEqualTo("3.4-1 x9");
    }
}
