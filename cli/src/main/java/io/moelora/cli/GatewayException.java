package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request the gateway refused, or could not answer. Its exit code tells scripts what to do next:
 * {@link #REFUSED} (fix the request), {@link #AUTH} (fix the token), {@link #UNAVAILABLE} (retry later).
 * The codes stay clear of 3 (push: items rejected) and 4 (watch, follow: timed out).
 */
public final class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** 4xx other than 401/403: invalid request, unknown job or board, conflict, too large, too many streams. */
    static final int REFUSED = 2;
    /** 401 (no token) or 403 (wrong token). */
    static final int AUTH = 5;
    /** No reply (connection refused, timeout) or a 5xx. */
    static final int UNAVAILABLE = 6;

    private final int status;

    /** @param status the HTTP status, or 0 when no reply came */
    GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The error of a non-2xx reply, from its application/problem+json body when it has one. */
    static GatewayException of(String request, int status, JsonNode problem, String rawBody) {
        StringBuilder m = new StringBuilder(request).append(": HTTP ").append(status);
        if (problem != null && problem.isObject()) {
            String title = problem.path("title").asText("");
            String detail = problem.path("detail").asText("");
            if (!title.isEmpty()) {
                m.append(" (").append(title).append(')');
            }
            if (!detail.isEmpty()) {
                m.append(": ").append(detail);
            }
            // The detail usually names the broken rule already; list the others, field first.
            for (JsonNode e : problem.path("errors")) {
                String field = e.path("field").asText("");
                String rule = e.path("rule").asText("");
                if (!detail.contains(rule)) {
                    m.append("\n  ").append(field).append(": ").append(rule);
                }
            }
        } else if (rawBody != null && !rawBody.isBlank()) {
            m.append(": ").append(rawBody.strip(), 0, Math.min(300, rawBody.strip().length()));
        }
        if (status == 401) {
            m.append("\n  pass --token or set MOELORA_GATEWAY_TOKEN");
        }
        return new GatewayException(status, m.toString());
    }

    /** The same error with more context, e.g. how much of an upload went through before it. */
    GatewayException with(String more) {
        return new GatewayException(status, getMessage() + more);
    }

    /** The HTTP status, or 0 when no reply came. */
    public int status() {
        return status;
    }

    int exitCode() {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        return status >= 400 && status < 500 ? REFUSED : UNAVAILABLE;
    }
}
