package io.moelora.core.eval.extract;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Python's {@code float(str)} and {@code repr(float)}, so that predictions read and print exactly as
 * in the reference scripts. Java 17's {@link Double#toString} does not always give the shortest
 * round-trip digits and formats differently ({@code 1.0E16} against Python's {@code 1e+16}).
 */
public final class PythonFloat {

    // Python's float() grammar: digits may be any Unicode decimal digit, "_" only between digits.
    private static final String DIGITS = "\\p{Nd}(?:_?\\p{Nd})*";
    private static final Pattern DECIMAL = Pattern.compile(
            "[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\.(?:" + DIGITS + "))(?:[eE][+-]?" + DIGITS + ")?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

    private PythonFloat() {}

    /**
     * Parses like Python's {@code float(s)} for a string argument: surrounding whitespace ignored,
     * Unicode digits and digit-separating underscores accepted, {@code inf}/{@code nan} in any case.
     *
     * @throws NumberFormatException with Python's message when {@code float(s)} would raise
     */
    public static double parse(String s) {
        String t = PythonText.strip(s);
        if (SPECIAL.matcher(t).matches()) {
            boolean negative = t.charAt(0) == '-';
            if (t.toLowerCase(Locale.ROOT).contains("nan")) {
                return Double.NaN;
            }
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new NumberFormatException("could not convert string to float: '" + s + "'");
        }
        // Double.parseDouble rounds correctly (half-even), as CPython's dtoa does.
        return Double.parseDouble(asciiDigits(t.replace("_", "")));
    }

    /** Replaces every Unicode decimal digit by its ASCII digit; other characters are kept. */
    public static String asciiDigits(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp > 0x7F && Character.isDigit(cp)) {
                out.append((char) ('0' + Character.digit(cp, 10)));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * Python's {@code repr(x)} (equal to {@code str(x)} since Python 3.2): the shortest digits that read
     * back as {@code x}, in positional notation when the decimal exponent is in [-4, 16), else as
     * {@code d.ddde+XX}. Examples: {@code 8.0}, {@code 0.6666666666666666}, {@code 1e+16},
     * {@code 1.5e-05}, {@code inf}, {@code -0.0}.
     */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String sign = (Double.doubleToRawLongBits(x) < 0) ? "-" : "";
        if (x == 0) {
            return sign + "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(x)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale(); // x = 0.<digits> * 10^decpt
        return sign + format(digits, decpt);
    }

    /** The decimal with the fewest significant digits that reads back as {@code v}; nearest on ties. */
    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int precision = 1; precision <= 17; precision++) {
            // The nearest p-digit decimal normally decides; next to a power of two the rounding interval
            // is lopsided, so the neighbour on the other side may read back when the nearest does not.
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (readsBack(nearest, v)) {
                return nearest;
            }
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downOk = readsBack(down, v);
            boolean upOk = readsBack(up, v);
            if (downOk && upOk) {
                return exact.subtract(down).compareTo(up.subtract(exact)) <= 0 ? down : up;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        throw new AssertionError("17 significant digits always read back: " + v);
    }

    private static boolean readsBack(BigDecimal candidate, double v) {
        return Double.parseDouble(candidate.toString()) == v;
    }

    private static String format(String digits, int decpt) {
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                return "0." + "0".repeat(-decpt) + digits;
            }
            if (decpt >= digits.length()) {
                return digits + "0".repeat(decpt - digits.length()) + ".0";
            }
            return digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        int exponent = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
