package io.moelora.core.eval.extract;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The reference commonsense extractor ({@code commonsense}): the FIRST (leftmost) match of the suite's
 * alternation, case-sensitive; none gives "". At the leftmost position the first alternative that
 * matches wins, exactly as in Python's {@code re}, so "answer12" → answer1 and "Option1" → "".
 */
public final class CommonsenseExtractor {

    /** Reference name in the suite registry. */
    public static final String NAME = "commonsense";

    private final List<String> alternation;
    private final Pattern pattern;

    /** @param alternation the labels in the order the reference alternation lists them, e.g. [true, false] */
    public CommonsenseExtractor(List<String> alternation) {
        if (alternation == null || alternation.isEmpty() || alternation.stream().anyMatch(a -> a == null || a.isEmpty())) {
            throw new IllegalArgumentException("alternation must be a non-empty list of non-empty labels, got " + alternation);
        }
        this.alternation = List.copyOf(alternation);
        this.pattern = Pattern.compile(this.alternation.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    }

    public List<String> alternation() {
        return alternation;
    }

    /** The first label in the text, or "". */
    public String extract(String response) {
        Matcher m = pattern.matcher(response);
        return m.find() ? m.group() : "";
    }
}
