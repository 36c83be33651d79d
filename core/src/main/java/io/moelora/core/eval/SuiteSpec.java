package io.moelora.core.eval;

import io.moelora.core.eval.extract.AquaExtractor;
import io.moelora.core.eval.extract.CommonsenseExtractor;
import io.moelora.core.eval.extract.Extractors;
import io.moelora.core.eval.extract.FixedAquaExtractor;
import io.moelora.core.eval.extract.Grader;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation suite as registry data ({@code suites.json}); see docs/PROTOCOL.md.
 *
 * @param name canonical name, e.g. {@code gsm8k}, {@code ARC-Easy}; looked up case-insensitively
 * @param family math or commonsense
 * @param directory the suite's directory under the data directory, in its original case; null for a
 *     built-in (generated) suite
 * @param builtin true for suites generated in code ({@link SyntheticSuites}), which have no directory
 * @param extractor the reference extractor; published numbers use this one
 * @param alternatives improved extractors reported beside the reference, never instead of it
 * @param gold whether {@code answer} is a number or a label
 * @param labels the allowed gold labels (empty for numeric suites); a test file with any other gold
 *     answer is rejected
 * @param maxNewTokens the reference generation budget (256 for math, 32 for commonsense)
 * @param version version of this suite's data and settings; bump on any change that moves scores
 * @param expectedItems number of items in the published test file, or the default generated size of
 *     a built-in suite
 * @param caveat a note to show next to this suite's column, or null
 */
public record SuiteSpec(
        String name,
        Family family,
        String directory,
        boolean builtin,
        ExtractorSpec extractor,
        List<String> alternatives,
        GoldKind gold,
        List<String> labels,
        int maxNewTokens,
        String version,
        int expectedItems,
        String caveat) {

    private static final List<String> AQUA_LETTERS = List.of("A", "B", "C", "D", "E");

    public SuiteSpec {
        if (name == null || name.isBlank() || name.contains(",")) {
            throw new IllegalArgumentException("suite name must be non-blank without commas, got '" + name + "'");
        }
        String where = "suite " + name + ": ";
        if (family == null || extractor == null || gold == null) {
            throw new IllegalArgumentException(where + "family, extractor and gold are required");
        }
        if (builtin == (directory != null)) {
            throw new IllegalArgumentException(where + "exactly one of directory and builtin must be given");
        }
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        labels = labels == null ? List.of() : List.copyOf(labels);
        for (String alternative : alternatives) {
            if (!Extractors.NAMES.contains(alternative) || alternative.equals(extractor.name())) {
                throw new IllegalArgumentException(where + "alternative extractor must be a known name other than the"
                        + " reference, one of " + Extractors.NAMES + ", got '" + alternative + "'");
            }
        }
        for (String e : extractorNames(extractor, alternatives)) {
            if (Extractors.isNumeric(e) != (gold == GoldKind.NUMBER)) {
                throw new IllegalArgumentException(where + "extractor '" + e + "' does not fit gold kind " + gold.id());
            }
        }
        if ((gold == GoldKind.LABEL) == labels.isEmpty()) {
            throw new IllegalArgumentException(where + "labels must be given exactly when gold is label");
        }
        if (extractor.name().equals(CommonsenseExtractor.NAME) && !extractor.alternation().containsAll(labels)) {
            throw new IllegalArgumentException(where + "every label must be in the alternation " + extractor.alternation()
                    + ", got " + labels);
        }
        if ((extractor.name().equals(AquaExtractor.NAME) || extractor.name().equals(FixedAquaExtractor.NAME))
                && !AQUA_LETTERS.containsAll(labels)) {
            throw new IllegalArgumentException(where + "AQuA labels must be letters A to E, got " + labels);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException(where + "maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException(where + "version must be non-blank");
        }
        if (expectedItems < 1) {
            throw new IllegalArgumentException(where + "expectedItems must be >= 1, got " + expectedItems);
        }
    }

    /** The reference extractor's name followed by the alternatives' names. */
    public List<String> extractorNames() {
        return extractorNames(extractor, alternatives);
    }

    /**
     * The grader for one of this suite's extractors.
     *
     * @throws IllegalArgumentException naming the valid extractors when {@code name} is not one of them
     */
    public Grader grader(String name) {
        if (!extractorNames().contains(name)) {
            throw new IllegalArgumentException("extractor '" + name + "' does not apply to suite " + this.name
                    + "; valid: " + String.join(", ", extractorNames()));
        }
        return Extractors.grader(name, extractor.alternation());
    }

    private static List<String> extractorNames(ExtractorSpec extractor, List<String> alternatives) {
        List<String> names = new ArrayList<>(1 + alternatives.size());
        names.add(extractor.name());
        names.addAll(alternatives);
        return List.copyOf(names);
    }
}
