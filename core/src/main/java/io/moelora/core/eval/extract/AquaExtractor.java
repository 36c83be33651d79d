package io.moelora.core.eval.extract;

/**
 * The reference AQuA extractor ({@code aqua}): the FIRST character of {@code A|B|C|D|E} anywhere in
 * the response, case-sensitive and inside words too; none gives "". It under-counts badly ("Answer:
 * (D)" → A, from "Answer"), which is why {@link FixedAquaExtractor} is reported beside it.
 */
public final class AquaExtractor {

    /** Reference name in the suite registry. */
    public static final String NAME = "aqua";

    /** The first option letter in the text, or "". */
    public String extract(String response) {
        for (int i = 0; i < response.length(); i++) {
            char c = response.charAt(i);
            if (c >= 'A' && c <= 'E') {
                return String.valueOf(c);
            }
        }
        return "";
    }
}
