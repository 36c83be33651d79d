package io.moelora.core.eval.extract;

/**
 * The response part of a decoded generation, as the reference evaluation cuts it:
 * {@code output.split("### Response:")[1].strip()}. That is the text after the FIRST marker up to the
 * next one (a model that starts a new turn is cut there), stripped with Python's whitespace set.
 * {@code indexOf} instead of a regex split, so that no character of the marker is special.
 */
public final class ResponseText {

    /** The marker that ends the evaluation prompt. */
    public static final String MARKER = "### Response:";

    private ResponseText() {}

    /**
     * The response within the full decoded text (prompt followed by the continuation). Where the text
     * holds no marker the reference would fail with an index error; here the whole text is taken to be
     * the response, so a caller may pass a continuation on its own (see {@link #ofContinuation}).
     */
    public static String of(String decoded) {
        int start = decoded.indexOf(MARKER);
        if (start < 0) {
            return PythonText.strip(decoded);
        }
        return cut(decoded, start + MARKER.length());
    }

    /**
     * The response within a continuation generated after the evaluation prompt: the same result as
     * {@link #of} on prompt + continuation, because the prompt ends with the first marker.
     */
    public static String ofContinuation(String continuation) {
        return cut(continuation, 0);
    }

    private static String cut(String text, int start) {
        int end = text.indexOf(MARKER, start);
        return PythonText.strip(end < 0 ? text.substring(start) : text.substring(start, end));
    }
}
