package io.moelora.gateway.rest.problem;

import java.util.List;

/** A request the API refuses; mapped to an {@code application/problem+json} reply by {@link ProblemMappers}. */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String kind;
  private final String title;
  private final transient List<Violation> violations;

  public ApiException(int status, String kind, String title, String detail, List<Violation> violations) {
    super(detail);
    this.status = status;
    this.kind = kind;
    this.title = title;
    this.violations = List.copyOf(violations);
  }

  /** 400: the request breaks the listed rules. */
  public static ApiException invalid(String detail, List<Violation> violations) {
    return new ApiException(400, "validation", "The request is not valid", detail, violations);
  }

  /** 400 for one field. */
  public static ApiException invalid(String field, String rule) {
    return invalid(field + " " + rule, List.of(new Violation(field, rule)));
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "No such resource", detail, List.of());
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "The job's state does not allow this", detail, List.of());
  }

  public static ApiException tooLarge(String detail, long limit) {
    return new ApiException(413, "too-large", "The request body is too large", detail,
        List.of(new Violation("body", "must be at most " + limit + " bytes")));
  }

  public static ApiException tooManyStreams(String detail) {
    return new ApiException(429, "too-many-streams", "Too many open event streams", detail, List.of());
  }

  public static ApiException notImplemented(String detail) {
    return new ApiException(501, "not-implemented", "Not supported by the trainer yet", detail, List.of());
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Kafka is not reachable", detail, List.of());
  }

  /** The same problem with another detail. */
  public ApiException withDetail(String detail) {
    return new ApiException(status, kind, title, detail, violations);
  }

  public int status() {
    return status;
  }

  public Problem problem(String instance) {
    return new Problem("urn:moelora:problem:" + kind, title, status, getMessage(), instance, violations);
  }
}
