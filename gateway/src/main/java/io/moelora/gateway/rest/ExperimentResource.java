package io.moelora.gateway.rest;

import io.moelora.gateway.GatewayNode;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.config.GatewayConfig;
import io.moelora.gateway.experiment.ExperimentSummary;
import io.moelora.gateway.experiment.ExperimentView;
import io.moelora.gateway.experiment.Experiments;
import io.moelora.gateway.ingest.ExampleIngest;
import io.moelora.gateway.ingest.FanOutReport;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.view.JobView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Experiments: jobs whose specs name the same {@code experiment}, shown side by side and fed the same
 * examples in the same order.
 */
@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class ExperimentResource {

  private static final Set<String> CLOSED = Set.of("rejected", "completed");

  private final GatewayRuntime runtime;
  private final GatewayConfig.Limits limits;

  ExperimentResource(GatewayRuntime runtime, GatewayConfig config) {
    this.runtime = runtime;
    this.limits = config.limits();
  }

  @GET
  @Operation(summary = "Every experiment some job names, with its jobs")
  public List<ExperimentSummary> list() {
    return Experiments.all(runtime.node());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "An experiment's jobs side by side",
      description = "Per job: adapter type, experts, top-k, rank, contrastive weight, trainable parameters, latest"
          + " checkpoint step, latest accuracy per suite and the accuracy curve over its scored checkpoints.")
  @APIResponse(responseCode = "404", description = "no job names this experiment")
  public ExperimentView get(@PathParam("id") String id) {
    PathIds.require("id", id);
    return Experiments.get(runtime.node(), id)
        .orElseThrow(() -> ApiException.notFound("no job names experiment " + id));
  }

  @POST
  @Path("/{id}/examples")
  @Produces(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Push training examples to every job of an experiment",
      description = "The body is that of POST /api/jobs/{id}/examples, without jobIds. Each valid item is written"
          + " once per job of the experiment, with the same exampleId, in body order and keyed by each job, so"
          + " every job trains on the same sequence. The jobs are those whose current spec names the experiment.")
  @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = "application/x-ndjson")})
  @APIResponse(responseCode = "200", description = "counts of items accepted (each sent to every job) and refused")
  @APIResponse(responseCode = "404", description = "no job names this experiment")
  @APIResponse(responseCode = "409", description = "a job of the experiment is rejected or completed: it would not"
      + " get the examples the others get")
  @APIResponse(responseCode = "413", description = "the body is larger than moelora.gateway.limits.max-examples-bytes")
  public FanOutReport push(@PathParam("id") String id, @QueryParam("idPrefix") String idPrefix, InputStream body)
      throws IOException {
    PathIds.require("id", id);
    GatewayNode node = runtime.node();
    List<JobView> jobs = Experiments.jobs(node, id);
    if (jobs.isEmpty()) {
      throw ApiException.notFound("no job names experiment " + id + "; create its jobs with \"experiment\": \""
          + id + "\" in their specs first");
    }
    List<String> closed = jobs.stream().filter(j -> CLOSED.contains(j.state()))
        .map(j -> j.jobId() + " (" + j.state() + ")").toList();
    if (!closed.isEmpty()) {
      throw ApiException.conflict("jobs of experiment " + id + " would not get the examples: " + String.join(", ", closed)
          + "; resume or delete them first, so every job keeps the same sequence");
    }
    String prefix = idPrefix == null ? "api-" + UUID.randomUUID().toString().substring(0, 8)
        : PathIds.require("idPrefix", idPrefix);
    if (prefix.length() > 100) {
      throw ApiException.invalid("idPrefix", "must have at most 100 characters");
    }
    var ingest = new ExampleIngest(runtime.publisher(), limits.maxExampleChars(), limits.ingestInFlight());
    return ingest.fanOut(id, jobs.stream().map(JobView::jobId).toList(),
        new LimitedBody(body, limits.maxExamplesBytes().asLongValue()), prefix);
  }
}
