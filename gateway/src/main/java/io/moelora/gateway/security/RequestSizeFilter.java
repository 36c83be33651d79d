package io.moelora.gateway.security;

import io.moelora.gateway.rest.problem.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a body announced (Content-Length) larger than its endpoint allows with 413, before a byte
 * of it is read. Bodies without a length (chunked) are counted while they are read instead (see
 * {@code LimitedBody}).
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 100)
public class RequestSizeFilter implements ContainerRequestFilter {

  private final AccessPolicy policy;

  RequestSizeFilter(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    int length = request.getLength();
    if (length < 0) {
      return;
    }
    String path = request.getUriInfo().getPath();
    long limit = policy.bodyLimit(path);
    if (length > limit) {
      request.abortWith(ApiException.tooLarge("the body has " + length + " bytes; " + path + " takes at most "
          + limit, limit).problem(path).response());
    }
  }
}
