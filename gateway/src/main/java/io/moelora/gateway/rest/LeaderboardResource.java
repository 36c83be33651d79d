package io.moelora.gateway.rest;

import io.moelora.events.SuiteGroups;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.board.BoardView;
import io.moelora.gateway.rest.problem.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The boards. */
@Path("/api/leaderboard")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaderboards")
public class LeaderboardResource {

  private final GatewayRuntime runtime;

  LeaderboardResource(GatewayRuntime runtime) {
    this.runtime = runtime;
  }

  @GET
  @Operation(summary = "A board: overall, math, commonsense or a suite name",
      description = "Rows are checkpoints ranked by the board's average; equal averages share a rank and are"
          + " ordered by fewer examples seen, lower step, job id, checkpoint id. bestPerJob=true keeps each"
          + " job's best checkpoint only.")
  public BoardView board(@QueryParam("board") String board, @QueryParam("limit") Integer limit,
      @QueryParam("bestPerJob") boolean bestPerJob) {
    String id = board == null ? SuiteGroups.OVERALL : PathIds.require("board", board);
    int rows = PathIds.range("limit", limit, 100, 1, 10_000);
    return runtime.node().boards().board(id, rows, bestPerJob).orElseThrow(() -> ApiException.notFound(
        "no board " + id + "; boards: " + runtime.node().boards().boards()));
  }

  @GET
  @Path("/boards")
  @Operation(summary = "The board ids: overall, math, commonsense, then one per suite with results")
  public List<String> boards() {
    return runtime.node().boards().boards();
  }
}
