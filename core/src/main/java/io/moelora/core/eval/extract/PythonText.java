package io.moelora.core.eval.extract;

/**
 * Python's {@code str.strip()} with no arguments. Java's {@link String#strip()} disagrees with it on
 * no-break spaces (U+00A0, U+2007, U+202F), which Python strips, so the set is spelled out here: the
 * code points for which Python 3's {@code str.isspace()} is true.
 */
public final class PythonText {

    private PythonText() {}

    /** Removes leading and trailing Python whitespace. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** True for the 29 code points Python treats as whitespace (all of them are in the BMP). */
    public static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                    '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }
}
