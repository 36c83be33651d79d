package io.moelora.gateway.security;

import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.rest.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Set;

/**
 * Bearer-token access control of {@code /api}: writes (POST, PUT, PATCH, DELETE) always need the
 * token, reads (GET, HEAD, the SSE streams) only when {@code moelora.gateway.auth.protect-reads}.
 * No or a malformed {@code Authorization} header: 401 with a {@code WWW-Authenticate} challenge;
 * a wrong token: 403. {@code moelora.gateway.auth.disabled} turns it all off (development).
 * Health, metrics and the OpenAPI document are not under {@code /api} and stay open.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  private static final String PREFIX = "Bearer ";

  private final AccessPolicy policy;

  BearerTokenFilter(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    boolean read = READS.contains(request.getMethod());
    if (!request.getUriInfo().getPath().startsWith("/api") || !policy.needsToken(read)) {
      return;
    }
    String what = read ? "reading" : "this write";
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || header.length() == PREFIX.length()) {
      Response challenge = Response.fromResponse(new ApiException(401, "unauthorized", "Authentication required",
              what + " needs 'Authorization: Bearer <token>'", List.of()).problem(request.getUriInfo().getPath())
          .response())
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"moelora-gateway\"").build();
      request.abortWith(challenge);
      return;
    }
    if (!policy.accepts(header.substring(PREFIX.length()).trim())) {
      request.abortWith(forbidden(request));
    }
  }

  private static Response forbidden(ContainerRequestContext request) {
    Problem problem = new ApiException(403, "forbidden", "The token is not valid",
        "the bearer token does not grant access to " + request.getMethod() + " " + request.getUriInfo().getPath(),
        List.of()).problem(request.getUriInfo().getPath());
    return problem.response();
  }
}
