package io.moelora.core.eval.extract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An improved numeric extractor ({@code numeric-strict}), reported beside the reference one, never
 * instead of it. It reads only a stated final answer: the LAST "the answer is N" (any case, optional
 * ":" and "$"), where N is a number with optional thousands commas, an optional fraction part or a
 * leading-dot decimal, an ASCII "-" or U+2212 "−" sign, and optionally "/ M" (a fraction, read as
 * N / M). Anything else, including a zero denominator, gives +∞ (wrong).
 *
 * <p>So, unlike {@link NumericExtractor}: "The answer is 6/1" → 6, "The answer is .5" → 0.5,
 * "The answer is −4" → −4, and "5 - 3 = 2" (no stated answer) → +∞.
 */
public final class StrictNumericExtractor {

    /** Name in the suite registry. */
    public static final String NAME = "numeric-strict";

    private static final String NUMBER = "(?:\\p{Nd}+(?:,\\p{Nd}{3})*(?:\\.\\p{Nd}+)?|\\.\\p{Nd}+)";
    private static final Pattern STATED = Pattern.compile(
            "(?i:the answer is)\\s*:?\\s*\\$?\\s*([-\u2212])?(" + NUMBER + ")(?:\\s*/\\s*(" + NUMBER + "))?");

    /** The stated answer, or {@code +Infinity} when there is none. */
    public double extract(String response) {
        Matcher m = STATED.matcher(response);
        double value = Double.POSITIVE_INFINITY;
        while (m.find()) {
            double n = number(m.group(2));
            if (m.group(3) != null) {
                double d = number(m.group(3));
                n = d == 0 ? Double.POSITIVE_INFINITY : n / d;
            }
            value = m.group(1) != null && n != Double.POSITIVE_INFINITY ? -n : n;
        }
        return value;
    }

    private static double number(String text) {
        return Double.parseDouble(PythonFloat.asciiDigits(text.replace(",", "")));
    }
}
