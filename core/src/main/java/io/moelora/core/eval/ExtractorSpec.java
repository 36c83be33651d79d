package io.moelora.core.eval;

import io.moelora.core.eval.extract.CommonsenseExtractor;
import io.moelora.core.eval.extract.Extractors;
import java.util.List;

/**
 * A suite's reference extractor as registry data.
 *
 * @param name one of {@link Extractors#NAMES}
 * @param alternation for {@code commonsense}: the labels in the order of the reference regex
 *     alternation (order matters: the first alternative that matches at the leftmost position wins);
 *     empty for every other extractor
 */
public record ExtractorSpec(String name, List<String> alternation) {

    public ExtractorSpec {
        if (name == null || !Extractors.NAMES.contains(name)) {
            throw new IllegalArgumentException("extractor name must be one of " + Extractors.NAMES + ", got '" + name + "'");
        }
        alternation = alternation == null ? List.of() : List.copyOf(alternation);
        boolean commonsense = CommonsenseExtractor.NAME.equals(name);
        if (commonsense && alternation.isEmpty()) {
            throw new IllegalArgumentException("extractor 'commonsense' needs a non-empty alternation");
        }
        if (!commonsense && !alternation.isEmpty()) {
            throw new IllegalArgumentException("extractor '" + name + "' takes no alternation, got " + alternation);
        }
    }
}
