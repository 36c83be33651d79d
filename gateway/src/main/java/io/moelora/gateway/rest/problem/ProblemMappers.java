package io.moelora.gateway.rest.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as {@code application/problem+json}. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response api(ApiException e, UriInfo uri) {
    return e.problem(uri.getPath()).response();
  }

  // 404 for unknown paths, 405, 406, 415 and the like, in the same shape.
  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
    return new Problem("urn:moelora:problem:http-" + status, title, status, e.getMessage(), uri.getPath(), List.of())
        .response();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e, UriInfo uri) {
    LOG.errorf(e, "Request %s failed", uri.getPath());
    return new Problem("urn:moelora:problem:internal", "Internal error", 500,
        "the gateway failed to handle the request; see its log", uri.getPath(), List.of()).response();
  }
}
