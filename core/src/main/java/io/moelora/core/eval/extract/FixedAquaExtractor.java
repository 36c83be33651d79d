package io.moelora.core.eval.extract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AQuA extractor that reads the option the response actually states ({@code aqua-fixed}), reported
 * beside the reference {@link AquaExtractor}. Rules are tried in order; the first rule with any match
 * decides, and within a rule the LAST match wins (rationales often end with the final choice):
 *
 * <ol>
 *   <li>a stated answer: "answer" (any case), optionally "is", optionally ":", then "(X)" with X in
 *       A–E or a–e, or a capital A–E not followed by a letter or digit, or a small a–e followed only by
 *       optional spaces and ".", ")" or the end ("The answer is (D).", "Answer: C", "the answer is d");
 *   <li>a parenthesised capital option "(X)";
 *   <li>a capital option followed by ")" and not preceded by a letter ("X)");
 * </ol>
 * otherwise "". The result is always a capital letter or "".
 */
public final class FixedAquaExtractor {

    /** Name in the suite registry. */
    public static final String NAME = "aqua-fixed";

    private static final Pattern STATED = Pattern.compile(
            "(?i:answer)(?:\\s+(?i:is))?\\s*:?\\s*"
                    + "(?:\\(([A-Ea-e])\\)|([A-E])(?![A-Za-z0-9])|([a-e])(?=\\s*(?:[.)]|$)))");
    private static final Pattern PARENTHESISED = Pattern.compile("\\(([A-E])\\)");
    private static final Pattern CLOSING = Pattern.compile("(?<![A-Za-z])([A-E])\\)");

    /** The stated option letter, or "". */
    public String extract(String response) {
        for (Pattern rule : new Pattern[] {STATED, PARENTHESISED, CLOSING}) {
            String last = lastLetter(rule.matcher(response));
            if (last != null) {
                return last.toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static String lastLetter(Matcher m) {
        String last = null;
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    last = m.group(g);
                }
            }
        }
        return last;
    }
}
