package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code push --gateway}: the items through {@code POST /api/jobs/{id}/examples} as JSON lines, a chunk
 * per request, so one request stays small and the progress bar moves. The gateway validates each item
 * and answers with counts and the reasons of refused ones; this sums them. Items without an
 * {@code exampleId} get {@code <prefix>-<index>} counted over the whole file, as direct pushes do, so
 * chunks never repeat an id and a rerun produces the same ids. {@code push --experiment --gateway} sends
 * the same way to {@code POST /api/experiments/{id}/examples}, which writes each item to every job of the
 * experiment.
 */
public final class GatewayPush {

    /**
     * What an upload achieved.
     *
     * @param accepted items the gateway wrote (to every job of an experiment)
     * @param rejected items it refused (written nowhere)
     * @param jobs the jobs the fan-out replies wrote to, in the order the last reply names them; empty for a
     *     job upload
     */
    public record Sent(int accepted, int rejected, List<String> jobs) {}

    private GatewayPush() {}

    /** @return the exit code: 0, or 3 when the gateway refused any item */
    static int push(GatewayClient client, String job, List<JsonNode> items, String prefix, int chunk, PrintWriter out,
            PrintWriter err) throws InterruptedException {
        Sent sent = send(client, "/api/jobs/" + GatewayClient.id("--job", job) + "/examples", items, prefix, chunk, err,
                true);
        return summary(out, sent, "job", job, client);
    }

    /** @return the exit code: 0, or 3 when the gateway refused any item */
    static int pushExperiment(GatewayClient client, String experiment, List<JsonNode> items, String prefix, int chunk,
            PrintWriter out, PrintWriter err) throws InterruptedException {
        return summary(out, toExperiment(client, experiment, items, prefix, chunk, err, true), "experiment", experiment,
                client);
    }

    /**
     * The items to every job of {@code experiment}, {@code chunk} per request; refused items are listed on
     * {@code err}, and the progress bar is drawn there only when {@code bar} is set (callers with their own
     * progress lines leave it off).
     */
    public static Sent toExperiment(GatewayClient client, String experiment, List<JsonNode> items, String prefix,
            int chunk, PrintWriter err, boolean bar) throws InterruptedException {
        return send(client, "/api/experiments/" + GatewayClient.id("--experiment", experiment) + "/examples", items,
                prefix, chunk, err, bar);
    }

    private static int summary(PrintWriter out, Sent sent, String kind, String target, GatewayClient client) {
        out.printf("{\"sent\":%d,\"rejected\":%d,\"%s\":\"%s\",\"gateway\":\"%s\"}%n", sent.accepted(),
                sent.rejected(), kind, target, client.base());
        return sent.rejected() == 0 ? 0 : 3;
    }

    private static Sent send(GatewayClient client, String path, List<JsonNode> items, String prefix, int chunk,
            PrintWriter err, boolean drawBar) throws InterruptedException {
        if (chunk < 1) {
            throw new IllegalArgumentException("--chunk must be at least 1, got " + chunk);
        }
        ProgressBar bar = new ProgressBar(err, 0, "examples");
        boolean inPlace = drawBar && bar.inPlace();
        int chunks = (items.size() + chunk - 1) / chunk;
        int drawEvery = Math.max(1, chunks / 50);
        int accepted = 0;
        int rejected = 0;
        List<String> jobs = List.of();
        for (int from = 0, n = 0; from < items.size(); from += chunk, n++) {
            int to = Math.min(items.size(), from + chunk);
            StringBuilder body = new StringBuilder();
            for (int i = from; i < to; i++) {
                JsonNode item = items.get(i);
                if (item instanceof ObjectNode o && !o.has("exampleId")) {
                    item = o.deepCopy().put("exampleId", prefix + "-" + i);
                }
                body.append(item).append('\n');
            }
            JsonNode report;
            try {
                report = client.post(path, "application/x-ndjson", body.toString()).body();
            } catch (GatewayException e) {
                if (inPlace && from > 0) {
                    err.println(); // ends the bar's line before the error
                }
                throw e.with(from == 0 ? "" : "\n  items 0.." + (from - 1) + " were sent before: " + accepted
                        + " accepted, " + rejected + " rejected");
            }
            accepted += report.path("accepted").asInt();
            rejected += report.path("rejected").asInt();
            if (report.has("jobs")) {
                List<String> named = new ArrayList<>();
                report.path("jobs").forEach(j -> named.add(j.asText()));
                jobs = List.copyOf(named);
            }
            for (JsonNode r : report.path("rejects")) {
                // On a terminal the bar's line is cleared first: the reason replaces it, and the bar is redrawn below.
                err.printf("%sitem %d rejected: %s %s%n", inPlace ? "\r\033[2K" : "", from + r.path("index").asInt(),
                        r.path("field").asText(), r.path("reason").asText());
            }
            int listed = report.path("rejects").size();
            if (listed < report.path("rejected").asInt()) {
                err.printf("(%d more rejected items of this request were not listed)%n",
                        report.path("rejected").asInt() - listed);
            }
            if (drawBar) {
                bar.draw(to, items.size(), String.format("accepted %d, rejected %d", accepted, rejected), "",
                        n % drawEvery == 0);
            }
        }
        return new Sent(accepted, rejected, jobs);
    }
}
