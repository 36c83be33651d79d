package io.moelora.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.cli.GatewayClient;
import io.moelora.cli.GatewayException;
import io.moelora.cli.GatewayPush;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway calls of an experiment run in pipeline mode, over the CLI's {@link GatewayClient} (the one
 * {@code jobs} and {@code push} use): create jobs, read a job, its checkpoints with their scores and its
 * training metrics, and push examples through an experiment's fan-out.
 */
final class GatewayJobs {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The gateway's largest metrics page (GET /api/jobs/{id}/metrics?limit=).
    private static final int METRICS_PAGE = 10_000;
    // Items per fan-out request: small requests keep each one well inside the gateway's body limit.
    private static final int PUSH_CHUNK = 500;

    private final GatewayClient client;

    GatewayJobs(GatewayClient client) {
        this.client = client;
    }

    String base() {
        return client.base();
    }

    /** The job as {@code GET /api/jobs/{id}} shows it; empty when the gateway knows no such job. */
    Optional<JsonNode> job(String id) throws InterruptedException {
        try {
            return Optional.of(client.get("/api/jobs/" + GatewayClient.id("job id", id)));
        } catch (GatewayException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The ids of the jobs whose spec names {@code experiment}; empty when none does. */
    List<String> experimentJobs(String experiment) throws InterruptedException {
        JsonNode view;
        try {
            view = client.get("/api/experiments/" + GatewayClient.id("experiment", experiment));
        } catch (GatewayException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
        List<String> ids = new ArrayList<>();
        view.path("jobs").forEach(j -> ids.add(j.path("jobId").asText()));
        return ids;
    }

    /**
     * Creates the job ({@code POST /api/jobs}) and returns once the gateway shows it, so an examples upload
     * for its experiment right after reaches it too (the gateway answers 202 while it does not yet).
     */
    void create(JobSpec spec, Duration wait) throws InterruptedException {
        GatewayClient.Reply reply = client.post("/api/jobs", "application/json", EventCodec.toJson(spec));
        long deadline = System.nanoTime() + wait.toNanos();
        while (reply.status() == 202 && job(spec.jobId()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new PipelineFailure("the gateway at " + base() + " accepted job " + spec.jobId()
                        + " but does not show it after " + wait.toSeconds() + " s", PipelineFailure.FAILED);
            }
            Thread.sleep(200);
        }
    }

    /** The job's checkpoints in training order, each with its scores per suite and its results. */
    List<JsonNode> checkpoints(String jobId) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        client.get("/api/jobs/" + GatewayClient.id("job id", jobId) + "/checkpoints").forEach(out::add);
        return out;
    }

    /** Every training-metrics record of the job, oldest first, read page by page. */
    List<JsonNode> metrics(String jobId) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long since = -1;
        while (true) {
            JsonNode page = client.get("/api/jobs/" + GatewayClient.id("job id", jobId) + "/metrics?since=" + since
                    + "&limit=" + METRICS_PAGE);
            page.forEach(out::add);
            if (page.size() < METRICS_PAGE) {
                return out;
            }
            since = page.get(page.size() - 1).path("step").asLong();
        }
    }

    /**
     * The examples, in order, to every job of {@code experiment} ({@code POST /api/experiments/{id}/examples}),
     * each with its stream id as exampleId; refused items are listed on {@code err}.
     */
    GatewayPush.Sent push(String experiment, List<StreamExample> examples, PrintWriter err) throws InterruptedException {
        List<JsonNode> items = new ArrayList<>(examples.size());
        for (StreamExample e : examples) {
            items.add(JSON.createObjectNode().put("exampleId", e.id()).put("instruction", e.example().instruction())
                    .put("input", e.example().input()).put("output", e.example().output()).put("task", e.task()));
        }
        return GatewayPush.toExperiment(client, experiment, items, experiment, PUSH_CHUNK, err, false);
    }
}
