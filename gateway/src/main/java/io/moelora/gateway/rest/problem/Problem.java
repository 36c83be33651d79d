package io.moelora.gateway.rest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An error reply as RFC 9457 {@code application/problem+json}, with the broken rules in
 * {@code errors} (field and rule each).
 *
 * @param type     {@code urn:moelora:problem:<kind>}, e.g. {@code urn:moelora:problem:validation}
 * @param title    short summary of the kind
 * @param status   the HTTP status
 * @param detail   what happened in this request
 * @param instance the request path
 * @param errors   broken rules, empty when none apply
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The reply carrying this problem. */
  public Response response() {
    try {
      return Response.status(status).type(MEDIA_TYPE).entity(JSON.writeValueAsString(this)).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a problem reply", e);
    }
  }
}
