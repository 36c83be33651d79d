package io.moelora.core.eval.extract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference numeric extractor ({@code numeric}): delete every ASCII comma, find all matches of
 * {@code -?\d+\.?\d*} and parse the LAST one; no match gives +∞, which is never within tolerance.
 * As in Python, {@code \d} is any Unicode decimal digit (general category Nd) and {@code float()} reads
 * those digits, while {@code -} and {@code .} are ASCII only (so U+2212 "−4" reads as 4).
 *
 * <p>Known consequences kept on purpose: "5-3" → −3, "6/1" → 1, ".5" → 5, "1e5" → 5, "1 000" → 0.
 */
public final class NumericExtractor {

    /** Reference name in the suite registry. */
    public static final String NAME = "numeric";

    private static final Pattern NUMBER = Pattern.compile("-?\\p{Nd}+\\.?\\p{Nd}*");

    /** The predicted number, or {@code +Infinity} when the response holds no number. */
    public double extract(String response) {
        Matcher m = NUMBER.matcher(response.replace(",", ""));
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Double.POSITIVE_INFINITY : Double.parseDouble(PythonFloat.asciiDigits(last));
    }
}
