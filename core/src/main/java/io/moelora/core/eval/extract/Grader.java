package io.moelora.core.eval.extract;

/**
 * An extractor together with the protocol's comparison for its answer kind. The one method keeps
 * extraction and judging in step: numeric extractors are judged by tolerance, label extractors by
 * equality.
 */
@FunctionalInterface
public interface Grader {

    /**
     * @param response the response text (already cut by {@link ResponseText})
     * @param gold the item's {@code answer} field
     */
    Graded grade(String response, String gold);
}
