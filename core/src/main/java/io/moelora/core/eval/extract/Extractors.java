package io.moelora.core.eval.extract;

import java.util.List;

/**
 * Extractor names, as the suite registry spells them, to graders. Adding an extractor = one class,
 * one name here, and naming it in the registry data for the suites it applies to.
 */
public final class Extractors {

    /** Every known extractor name. */
    public static final List<String> NAMES = List.of(NumericExtractor.NAME, StrictNumericExtractor.NAME,
            AquaExtractor.NAME, FixedAquaExtractor.NAME, CommonsenseExtractor.NAME);

    private Extractors() {}

    /** True for extractors that predict a number (their suites have numeric gold answers). */
    public static boolean isNumeric(String name) {
        return NumericExtractor.NAME.equals(name) || StrictNumericExtractor.NAME.equals(name);
    }

    /**
     * The grader for {@code name}.
     *
     * @param alternation the suite's label alternation, used by {@code commonsense} only
     */
    public static Grader grader(String name, List<String> alternation) {
        return switch (name) {
            case NumericExtractor.NAME -> new NumericGrader(new NumericExtractor()::extract);
            case StrictNumericExtractor.NAME -> new NumericGrader(new StrictNumericExtractor()::extract);
            case AquaExtractor.NAME -> new LabelGrader(new AquaExtractor()::extract);
            case FixedAquaExtractor.NAME -> new LabelGrader(new FixedAquaExtractor()::extract);
            case CommonsenseExtractor.NAME -> new LabelGrader(new CommonsenseExtractor(alternation)::extract);
            default -> throw new IllegalArgumentException("unknown extractor '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}
