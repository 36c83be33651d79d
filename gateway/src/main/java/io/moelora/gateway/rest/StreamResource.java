package io.moelora.gateway.rest;

import io.moelora.gateway.stream.EventKinds;
import io.moelora.gateway.stream.EventLog;
import io.moelora.gateway.stream.SseStreams;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Server-sent events of the whole feed and of the leaderboards. */
@Path("/api/stream")
@Tag(name = "streams")
public class StreamResource {

  static final String STREAM_DOC = "Events are named job, job-deleted, job-event, checkpoint, metrics, eval-result,"
      + " eval-progress, leaderboard (data: the event's JSON) and reset (resuming is impossible: reload over"
      + " REST). Every event's id is a stream position: reconnect with Last-Event-ID (or ?lastEventId=) to get"
      + " exactly the events missed, from any replica. A ':heartbeat' comment keeps idle streams open.";

  private final SseStreams streams;

  StreamResource(SseStreams streams) {
    this.streams = streams;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Every event: jobs, lifecycle, checkpoints, metrics, results, eval progress, boards",
      description = STREAM_DOC)
  public Multi<OutboundSseEvent> all(@HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("lastEventId") String lastEventIdParam, @Context HttpServerRequest request, @Context Sse sse) {
    return streams.open(sse, client(request), resumeFrom(lastEventId, lastEventIdParam), e -> true,
        EventLog.Start.LIVE);
  }

  @GET
  @Path("/leaderboard")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Board updates: first the current state of every board, then each change",
      description = "Each leaderboard event is a board's full state (LeaderboardUpdate, top rows). " + STREAM_DOC)
  public Multi<OutboundSseEvent> leaderboard(@HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("lastEventId") String lastEventIdParam, @Context HttpServerRequest request, @Context Sse sse) {
    return streams.open(sse, client(request), resumeFrom(lastEventId, lastEventIdParam),
        e -> EventKinds.LEADERBOARD.equals(e.kind()), EventLog.Start.SNAPSHOT);
  }

  /** The header wins; the query parameter serves clients that cannot set headers on a first connection. */
  static String resumeFrom(String header, String param) {
    return header != null && !header.isBlank() ? header : param;
  }

  /** The client's address (the forwarded one when quarkus.http.proxy forwarding is enabled). */
  static String client(HttpServerRequest request) {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
  }
}
