package io.moelora.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.moelora.events.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One recipe × seed as a job on the stack, and what the experiment last saw of it through the gateway: its
 * state and its checkpoints with their scores, by examples seen. The trainer checkpoints by example count,
 * so the counts line up across the jobs of an experiment (also when an update is skipped as non-finite,
 * which consumes examples without a step).
 */
final class PipelineJob {

    /** States a job does not leave by itself: the experiment cannot finish. */
    private static final Set<String> STUCK = Set.of("rejected", "failed", "paused", "deleted");

    private final RecipeRun recipe;
    private final long seed;
    private final JobSpec spec;
    private JsonNode view = MissingNode.getInstance(); // GET /api/jobs/{id}
    private final Map<Long, JsonNode> checkpoints = new TreeMap<>(); // examples seen -> checkpoint with its scores
    private long chunkEnd = -1;
    private long chunkPushedAt;
    private double trainSeconds;

    PipelineJob(RecipeRun recipe, long seed, JobSpec spec) {
        this.recipe = recipe;
        this.seed = seed;
        this.spec = spec;
    }

    RecipeRun recipe() {
        return recipe;
    }

    long seed() {
        return seed;
    }

    JobSpec spec() {
        return spec;
    }

    String id() {
        return spec.jobId();
    }

    /** {@code [lora-r8 seed 1]}, as the in-process runs are named in progress lines. */
    String label() {
        return "[" + recipe.name() + " seed " + seed + "]";
    }

    /** Takes in what the gateway shows now. */
    void update(JsonNode job, List<JsonNode> history) {
        view = job;
        for (JsonNode c : history) {
            // A checkpoint announced twice (after a trainer restart) has one id; the view with more scores wins.
            long examples = c.path("checkpoint").path("examplesSeen").asLong();
            JsonNode known = checkpoints.get(examples);
            if (known == null || c.path("scores").size() >= known.path("scores").size()) {
                checkpoints.put(examples, c);
            }
        }
    }

    String state() {
        return view.path("state").asText("submitted");
    }

    long examplesSeen() {
        return view.path("examplesSeen").asLong();
    }

    boolean completed() {
        return "completed".equals(state());
    }

    /** The checkpoint after {@code examples} examples, with its scores, once the gateway shows it. */
    Optional<JsonNode> checkpointAt(long examples) {
        return Optional.ofNullable(checkpoints.get(examples));
    }

    /** The suites the checkpoint after {@code examples} examples has no score for yet (all before it exists). */
    List<String> missingScores(long examples, List<String> suites) {
        JsonNode scores = checkpointAt(examples).map(c -> c.path("scores")).orElse(MissingNode.getInstance());
        List<String> missing = new ArrayList<>();
        for (String s : suites) {
            if (!scores.has(s)) {
                missing.add(s);
            }
        }
        return missing;
    }

    /**
     * Why this job cannot give the experiment what it waits for, if it cannot: it stopped (rejected, failed,
     * paused after diverging, deleted), or the eval service refused or skipped one of the checkpoints
     * {@code due} (it evaluates only the newest waiting checkpoint of a job, so one that a newer checkpoint
     * overtook is never scored).
     */
    Optional<String> problem(List<Long> due, List<String> suites) {
        if (STUCK.contains(state())) {
            return Optional.of("job " + id() + " is " + state() + ": " + view.path("reason").asText("no reason given"));
        }
        JsonNode progress = view.path("lastEvalProgress");
        for (long examples : due) {
            if (missingScores(examples, suites).isEmpty()) {
                continue;
            }
            Optional<JsonNode> c = checkpointAt(examples);
            String checkpointId = c.map(x -> x.path("checkpoint").path("checkpointId").asText()).orElse(null);
            if (checkpointId != null && "refused".equals(progress.path("kind").asText())
                    && checkpointId.equals(progress.path("checkpointId").asText())) {
                return Optional.of("the eval service refused checkpoint " + checkpointId + " of job " + id() + ": "
                        + progress.path("message").asText());
            }
            boolean overtaken = checkpoints.entrySet().stream()
                    .anyMatch(e -> e.getKey() > examples && e.getValue().path("scores").size() > 0);
            if (overtaken) {
                return Optional.of("the eval service did not score the checkpoint of job " + id() + " after " + examples
                        + " examples (" + (checkpointId == null ? "never announced" : checkpointId)
                        + "): a newer checkpoint of the job was scored instead (it evaluates the newest waiting one)");
            }
        }
        return Optional.empty();
    }

    /** The examples up to {@code end} were pushed now: training time runs until that checkpoint appears. */
    void chunkPushed(long end, long nanos) {
        chunkEnd = end;
        chunkPushedAt = nanos;
    }

    /** Counts the time from the push to the first sight of the checkpoint it was pushed for. */
    void checkpointSeen(long examples, long nanos) {
        if (examples == chunkEnd) {
            trainSeconds += (nanos - chunkPushedAt) / 1e9;
            chunkEnd = -1;
        }
    }

    /** Wall time from pushing each chunk of examples to its checkpoint, as this process saw it. */
    double trainSeconds() {
        return trainSeconds;
    }
}
