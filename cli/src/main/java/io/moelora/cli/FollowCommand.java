package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora follow}: a leaderboard from the gateway as a table, reprinted whenever it changes.
 * The board is read over REST first, then kept current from the leaderboard event stream, whose
 * events each carry a board's full state (top rows); only changes to the shown rows reprint.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = {"Print a leaderboard from the gateway and reprint it on every change (Ctrl-C to stop).",
                "Columns: rank, job, step, examples, adapter, accuracy per suite (%), the board's average."})
final class FollowCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLEAR = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--board", defaultValue = "overall",
            description = "overall, math, commonsense or a suite name (default: ${DEFAULT-VALUE})")
    String board;

    @Option(names = "--limit", defaultValue = "20",
            description = "rows shown, at most 100 when following (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--once", description = "print the board and exit")
    boolean once;

    @Option(names = "--updates", paramLabel = "N", description = "exit after printing N changes of the board")
    Integer updates;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this long (exit 4)")
    Integer timeout;

    private final boolean terminal = System.console() != null;
    private String shown;

    @Override
    public Integer call() throws Exception {
        // The stream's board states carry the top 100 rows (the gateway's default publish-rows).
        int most = once ? 10_000 : 100;
        if (limit < 1 || limit > most) {
            throw new IllegalArgumentException("--limit must be in [1, " + most + "]" + (once ? "" : " when following")
                    + ", got " + limit);
        }
        GatewayClient.id("--board", board);
        if ((updates != null && updates < 1) || (timeout != null && timeout < 1)) {
            throw new IllegalArgumentException("--updates and --timeout must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GatewayClient client = gateway.client();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000_000L;
        String path = "/api/leaderboard?board=" + URLEncoder.encode(board, StandardCharsets.UTF_8) + "&limit=" + limit;
        try {
            JsonNode view = client.get(path);
            print(out, view.path("rows"), view.path("rows").size() + " of " + view.path("totalRows").asInt() + " rows");
        } catch (GatewayException e) {
            // A suite's board appears with its first result; when following, wait for it.
            if (e.status() != 404 || once) {
                throw e;
            }
            err.println(e.getMessage().lines().findFirst().orElse("") + "; waiting for it");
            err.flush();
        }
        if (once) {
            return 0;
        }
        int changes = 0;
        try (EventStream stream = EventStream.open(client, "/api/stream/leaderboard", err)) {
            while (updates == null || changes < updates) {
                long left = deadline == Long.MAX_VALUE ? 60_000 : (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    err.printf("timed out after %d s%n", timeout);
                    return 4;
                }
                EventStream.Event e = stream.next(left);
                if (e == null) {
                    continue;
                }
                JsonNode rows;
                String note;
                if ("leaderboard".equals(e.name())) {
                    JsonNode update;
                    try {
                        update = JSON.readTree(e.data());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
                        continue; // not a board state; the next one will be
                    }
                    if (!board.equals(update.path("board").asText())) {
                        continue;
                    }
                    rows = update.path("rows");
                    note = "updated " + update.path("updatedAt").asText();
                } else if ("reset".equals(e.name())) {
                    // The stream could not resume where it left off: read the board afresh.
                    JsonNode view = client.get(path);
                    rows = view.path("rows");
                    note = rows.size() + " of " + view.path("totalRows").asInt() + " rows";
                } else {
                    continue;
                }
                if (print(out, rows, note)) {
                    changes++;
                }
            }
        }
        return 0;
    }

    /** Prints the board unless its shown rows are what was printed last; true when printed. */
    private boolean print(PrintWriter out, JsonNode rows, String note) {
        String table = BoardTable.render(rows, limit);
        if (table.equals(shown)) {
            return false;
        }
        if (terminal && !once && shown != null) {
            out.print(CLEAR);
        } else if (shown != null) {
            out.println();
        }
        shown = table;
        out.printf("board %s (%s) at %s%n", board, note, gateway.gateway);
        out.print(table);
        out.flush();
        return true;
    }
}
