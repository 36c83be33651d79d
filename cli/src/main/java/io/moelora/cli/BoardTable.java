package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A leaderboard as a text table: rank, job, step, examples, adapter, one column per suite (accuracy
 * in percent, "-" where the checkpoint has no score) and the board's average. Rows are the gateway's
 * {@code LeaderboardRow} JSON, read loosely so that new fields do not break the CLI.
 */
final class BoardTable {

    private BoardTable() {}

    static String render(JsonNode rows, int limit) {
        List<JsonNode> shown = new ArrayList<>();
        for (JsonNode r : rows) {
            if (shown.size() == limit) {
                break;
            }
            shown.add(r);
        }
        if (shown.isEmpty()) {
            return "(no scored checkpoints yet)\n";
        }
        TreeSet<String> suites = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        shown.forEach(r -> r.path("scores").fieldNames().forEachRemaining(suites::add));
        List<String> header = new ArrayList<>(List.of("RANK", "JOB", "STEP", "EXAMPLES", "ADAPTER"));
        header.addAll(suites);
        header.add("AVERAGE");
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (JsonNode r : shown) {
            List<String> line = new ArrayList<>(List.of(r.path("rank").asText(), r.path("jobId").asText(),
                    r.path("step").asText(), r.path("examplesSeen").asText(), r.path("adapterType").asText("-")));
            for (String suite : suites) {
                JsonNode score = r.path("scores").get(suite);
                line.add(score == null || !score.isNumber() ? "-" : percent(score.asDouble()));
            }
            line.add(percent(r.path("average").asDouble()));
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> line : cells) {
            for (int c = 0; c < line.size(); c++) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : cells) {
            for (int c = 0; c < line.size(); c++) {
                // Job and adapter are names: left-aligned; everything else is a number.
                boolean left = c == 1 || c == 4;
                String cell = line.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                out.append(c == 0 ? "" : "  ").append(left ? cell + pad : pad + cell);
            }
            out.append('\n');
        }
        return out.toString().replaceAll(" +\n", "\n");
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
