package io.moelora.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway commands' parts that need no gateway: the board table, the event-stream format, error
 * messages and exit codes. Against a running gateway they are tested in the e2e module.
 */
class GatewayCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rendersABoardWithAColumnPerSuite() throws Exception {
        JsonNode rows = JSON.readTree("""
                [{"rank":1,"jobId":"demo","checkpointId":"a","step":120,"examplesSeen":1920,"adapterType":"moelora",
                  "scores":{"synthetic-choice":62.5,"synthetic-addsub":40.0},"average":51.25},
                 {"rank":2,"jobId":"lora-baseline","checkpointId":"b","step":0,"examplesSeen":0,"adapterType":"lora",
                  "scores":{"synthetic-choice":25.0},"average":25.0},
                 {"rank":3,"jobId":"x","checkpointId":"c","step":0,"examplesSeen":0,"adapterType":"lora",
                  "scores":{},"average":0.0}]""");
        String table = BoardTable.render(rows, 2);
        assertThat(table).isEqualTo("""
                RANK  JOB            STEP  EXAMPLES  ADAPTER  synthetic-addsub  synthetic-choice  AVERAGE
                   1  demo            120      1920  moelora             40.00             62.50    51.25
                   2  lora-baseline     0         0  lora                    -             25.00    25.00
                """);
        assertThat(BoardTable.render(JSON.readTree("[]"), 10)).contains("no scored checkpoints");
    }

    @Test
    void parsesEventsAndResumesOnlyAfterCompleteOnes() {
        EventStream.Parser p = new EventStream.Parser();
        List<EventStream.Event> events = new ArrayList<>();
        for (String line : List.of(": connected", "retry: 2500", "", "id: 0-7", "event: leaderboard", "data: {\"a\":",
                "data: 1}", "", ":heartbeat", "", "id: 0-9", "event: leaderboard")) {
            EventStream.Event e = p.line(line);
            if (e != null) {
                events.add(e);
            }
        }
        assertThat(events).containsExactly(new EventStream.Event("0-7", "leaderboard", "{\"a\":\n1}"));
        assertThat(p.retryMillis).isEqualTo(2500);
        // The connection dropped inside the event with id 0-9: a reconnection resumes after 0-7.
        assertThat(p.lastId).isEqualTo("0-7");
        p.restart();
        assertThat(p.line("data: x")).isNull();
        assertThat(p.line("")).isEqualTo(new EventStream.Event("0-7", "message", "x"));
    }

    @Test
    void explainsRefusalsAndMapsThemToExitCodes() throws Exception {
        JsonNode problem = JSON.readTree("""
                {"type":"urn:moelora:problem:validation","title":"The request is not valid","status":400,
                 "detail":"adapter.rank: must be in [1, 1024], got 0","instance":"/api/jobs",
                 "errors":[{"field":"adapter.rank","rule":"must be in [1, 1024], got 0"},{"field":"eval.limit","rule":"must be >= 1"}]}""");
        GatewayException invalid = GatewayException.of("POST /api/jobs", 400, problem, problem.toString());
        assertThat(invalid.getMessage()).isEqualTo("POST /api/jobs: HTTP 400 (The request is not valid):"
                + " adapter.rank: must be in [1, 1024], got 0\n  eval.limit: must be >= 1");
        assertThat(invalid.exitCode()).isEqualTo(GatewayException.REFUSED);
        assertThat(GatewayException.of("POST /api/jobs", 401, null, "").getMessage()).contains("--token");
        assertThat(GatewayException.of("POST /api/jobs", 401, null, "").exitCode()).isEqualTo(GatewayException.AUTH);
        assertThat(GatewayException.of("POST /api/jobs", 403, null, "").exitCode()).isEqualTo(GatewayException.AUTH);
        assertThat(GatewayException.of("GET /api/jobs", 503, null, "").exitCode()).isEqualTo(GatewayException.UNAVAILABLE);
        assertThat(GatewayException.of("GET /api/jobs", 404, null, "<html>no</html>").getMessage())
                .endsWith("HTTP 404: <html>no</html>");
    }

    @Test
    void anUnreachableGatewayAndABadUrlAreOneLineErrors() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun.Result down = CliRun.run("jobs", "list", "--gateway", "http://127.0.0.1:" + port);
        assertThat(down.code()).isEqualTo(GatewayException.UNAVAILABLE);
        assertThat(down.err()).startsWith("error: cannot reach the gateway at http://127.0.0.1:" + port);

        CliRun.Result badUrl = CliRun.run("follow", "--once", "--gateway", "127.0.0.1:8080");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--gateway must be an http(s) URL");

        CliRun.Result badId = CliRun.run("jobs", "show", "../etc", "--gateway", "http://127.0.0.1:" + port);
        assertThat(badId.code()).isEqualTo(2);
        assertThat(badId.err()).contains("job id must match");
    }
}
