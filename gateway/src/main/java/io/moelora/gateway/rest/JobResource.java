package io.moelora.gateway.rest;

import io.moelora.events.JobSpec;
import io.moelora.events.TrainingMetrics;
import io.moelora.gateway.GatewayNode;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.board.CheckpointView;
import io.moelora.gateway.config.GatewayConfig;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.service.ControlOutcome;
import io.moelora.gateway.service.JobCommands;
import io.moelora.gateway.view.JobView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Jobs: create or update, list, look at one, its checkpoint history and training curve, control it. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
public class JobResource {

  private final GatewayRuntime runtime;
  private final JobCommands commands;
  private final GatewayConfig config;

  JobResource(GatewayRuntime runtime, JobCommands commands, GatewayConfig config) {
    this.runtime = runtime;
    this.commands = commands;
    this.config = config;
  }

  @POST
  // A spec is JSON or YAML: a body declared as anything else (XML, text, a form) is refused with 415, not
  // guessed at.
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Create or update a job",
      description = "Validates the JobSpec as every service does (absent fields take their defaults, an absent"
          + " schemaVersion the current one) and publishes it to moelora.jobs. JSON, or YAML (application/yaml,"
          + " application/x-yaml, text/yaml) with the content of a recipe file. Answers once this gateway shows it:"
          + " 201 for a new job, 200 for an update, 202 if it is not visible yet.")
  @RequestBody(content = {
      @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSpec.class)),
      @Content(mediaType = "application/yaml", schema = @Schema(implementation = JobSpec.class))})
  @APIResponse(responseCode = "201", description = "created")
  @APIResponse(responseCode = "400", description = "invalid spec; errors name the field and the rule")
  public Response submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body)
      throws IOException {
    var submitted = commands.submit(LimitedBody.text(body, config.limits().maxRequestBytes().asLongValue()),
        YamlTypes.isYaml(contentType));
    int status = !submitted.visible() ? 202 : submitted.created() ? 201 : 200;
    return Response.status(status).location(URI.create("/api/jobs/" + submitted.job().jobId()))
        .entity(submitted.job()).build();
  }

  @GET
  @Operation(summary = "All jobs the gateway has read, by id")
  public List<JobView> list() {
    GatewayNode node = runtime.node();
    return node.jobs().all(node.boards()::best);
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One job: spec, lifecycle state, progress, best checkpoint")
  public JobView get(@PathParam("id") String id) {
    return job(id);
  }

  @GET
  @Path("/{id}/checkpoints")
  @Operation(summary = "The job's checkpoint history in training order, with scores per suite and averages")
  public List<CheckpointView> checkpoints(@PathParam("id") String id) {
    job(id);
    GatewayNode node = runtime.node();
    return node.jobs().checkpoints(id).stream().map(node.boards()::view).toList();
  }

  @GET
  @Path("/{id}/metrics")
  @Operation(summary = "The job's training metrics with step > since, oldest first")
  public List<TrainingMetrics> metrics(@PathParam("id") String id, @QueryParam("since") Long since,
      @QueryParam("limit") Integer limit) {
    job(id);
    if (since != null && since < -1) {
      throw ApiException.invalid("since", "must be >= -1 (a step; -1 or absent = from the start), got " + since);
    }
    return runtime.node().jobs().metrics(id, since == null ? -1 : since, PathIds.range("limit", limit, 1000, 1, 10_000));
  }

  @POST
  @Path("/{id}/complete")
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Complete the job at the examples trained so far",
      description = "Publishes its spec with maxExamples = the examples it has trained. 409 if it is completed,"
          + " rejected, deleted or has trained nothing yet.")
  @APIResponse(responseCode = "202", description = "the new spec is published")
  public Response complete(@PathParam("id") String id) {
    return accepted(commands.complete(PathIds.require("id", id)));
  }

  @POST
  @Path("/{id}/resume")
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Resume a completed job as a continuous one",
      description = "Publishes its spec with maxExamples = 0. A paused or failed job resumes when its spec"
          + " changes, so for those this answers 409: submit the changed spec instead.")
  @APIResponse(responseCode = "202", description = "the new spec is published")
  public Response resume(@PathParam("id") String id) {
    return accepted(commands.resume(PathIds.require("id", id)));
  }

  @POST
  @Path("/{id}/pause")
  @SecurityRequirement(name = ApiDocumentation.BEARER)
  @Operation(summary = "Pause a job (not supported by the trainer yet: 501)")
  @APIResponse(responseCode = "501", description = "the trainer cannot pause a healthy job")
  public Response pause(@PathParam("id") String id) {
    return accepted(commands.pause(PathIds.require("id", id)));
  }

  private JobView job(String id) {
    PathIds.require("id", id);
    GatewayNode node = runtime.node();
    return node.jobs().get(id, node.boards()::best).orElseThrow(() -> ApiException.notFound("no job " + id));
  }

  private static Response accepted(ControlOutcome outcome) {
    return Response.accepted(outcome).build();
  }
}
