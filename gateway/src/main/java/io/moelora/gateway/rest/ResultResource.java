package io.moelora.gateway.rest;

import io.moelora.events.EvalResult;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.rest.problem.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Evaluation results, one per (checkpoint, suite). */
@Path("/api/results")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaderboards")
public class ResultResource {

  private final GatewayRuntime runtime;

  ResultResource(GatewayRuntime runtime) {
    this.runtime = runtime;
  }

  @GET
  @Operation(summary = "A checkpoint's results by suite name, one per suite (empty while none is read)")
  public List<EvalResult> results(@QueryParam("checkpoint") String checkpoint) {
    if (checkpoint == null) {
      throw ApiException.invalid("checkpoint", "is required (a checkpoint id)");
    }
    return runtime.node().boards().results(PathIds.require("checkpoint", checkpoint));
  }
}
