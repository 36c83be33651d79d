package io.moelora.gateway.rest;

import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.stream.EventLog;
import io.moelora.gateway.stream.SseStreams;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Server-sent events of one job. */
@Path("/api/jobs/{id}/stream")
@Tag(name = "streams")
public class JobStreamResource {

  private final SseStreams streams;
  private final GatewayRuntime runtime;

  JobStreamResource(SseStreams streams, GatewayRuntime runtime) {
    this.streams = streams;
    this.runtime = runtime;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "One job's events: spec, lifecycle, checkpoints, metrics, results, eval progress",
      description = StreamResource.STREAM_DOC)
  public Multi<OutboundSseEvent> job(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("lastEventId") String lastEventIdParam, @Context HttpServerRequest request, @Context Sse sse) {
    PathIds.require("id", id);
    if (runtime.node().jobs().get(id, j -> null).isEmpty()) {
      throw ApiException.notFound("no job " + id);
    }
    return streams.open(sse, StreamResource.client(request), StreamResource.resumeFrom(lastEventId, lastEventIdParam),
        e -> id.equals(e.jobId()), EventLog.Start.LIVE);
  }
}
