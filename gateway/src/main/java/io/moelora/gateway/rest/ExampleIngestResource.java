package io.moelora.gateway.rest;

import io.moelora.gateway.GatewayNode;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.config.GatewayConfig;
import io.moelora.gateway.ingest.ExampleIngest;
import io.moelora.gateway.ingest.IngestReport;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.view.JobView;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Training examples into {@code moelora.training-examples}, streamed with backpressure. */
@Path("/api/jobs/{id}/examples")
@Tag(name = "jobs")
public class ExampleIngestResource {

  private static final Set<String> CLOSED = Set.of("rejected", "completed");

  private final GatewayRuntime runtime;
  private final GatewayConfig.Limits limits;

  ExampleIngestResource(GatewayRuntime runtime, GatewayConfig config) {
    this.runtime = runtime;
    this.limits = config.limits();
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Push training examples",
      description = "A JSON array or JSON lines of {instruction, input, output[, task][, exampleId]} objects,"
          + " read and sent item by item. Invalid items are refused with their index, line, field and reason;"
          + " the rest are sent keyed by the job id. Missing exampleIds become <idPrefix>-<index> (idPrefix"
          + " defaults to a random one: pass your own to make a retried upload produce the same ids).")
  @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = "application/x-ndjson")})
  @APIResponse(responseCode = "200", description = "counts of accepted and refused items, with the reasons")
  @APIResponse(responseCode = "404", description = "unknown or deleted job")
  @APIResponse(responseCode = "409", description = "the job is rejected or completed: its examples would go to the DLQ")
  @APIResponse(responseCode = "413", description = "the body is larger than moelora.gateway.limits.max-examples-bytes")
  public IngestReport push(@PathParam("id") String id, @QueryParam("idPrefix") String idPrefix, InputStream body)
      throws IOException {
    PathIds.require("id", id);
    GatewayNode node = runtime.node();
    JobView job = node.jobs().get(id, j -> null)
        .filter(j -> j.spec() != null)
        .orElseThrow(() -> ApiException.notFound("no job " + id + "; create it with POST /api/jobs first"));
    if (CLOSED.contains(job.state())) {
      throw ApiException.conflict("job " + id + " is " + job.state() + ": the trainer would reject its examples"
          + ("completed".equals(job.state()) ? "; POST /api/jobs/" + id + "/resume first" : ""));
    }
    String prefix = idPrefix == null ? "api-" + UUID.randomUUID().toString().substring(0, 8)
        : PathIds.require("idPrefix", idPrefix);
    if (prefix.length() > 100) {
      throw ApiException.invalid("idPrefix", "must have at most 100 characters");
    }
    var ingest = new ExampleIngest(runtime.publisher(), limits.maxExampleChars(), limits.ingestInFlight());
    return ingest.ingest(id, new LimitedBody(body, limits.maxExamplesBytes().asLongValue()), prefix);
  }
}
