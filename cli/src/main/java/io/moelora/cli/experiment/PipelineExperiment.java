package io.moelora.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.moelora.cli.GatewayPush;
import io.moelora.events.CheckpointPolicy;
import io.moelora.events.EvalSpec;
import io.moelora.events.JobSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an experiment through a running stack instead of in this process. For each seed it creates, through
 * the gateway, an experiment {@code <name>-s<seed>} with one job per recipe, {@code <name>-s<seed>-<recipe>}:
 * the recipe with the seed, a checkpoint every {@code evalEvery} updates (by example count only, so the
 * jobs' checkpoints line up), a budget of steps × batch examples and the evaluation the in-process mode
 * runs. It pushes the seed's example stream once through the experiment's fan-out (paced as
 * {@link SeedFeed} explains), follows the jobs until each is completed and every checkpoint has every
 * score, then reads their training metrics and probes the routing of each final checkpoint. Seeds run
 * side by side; the trainer and the eval service interleave their jobs.
 */
final class PipelineExperiment {

    /**
     * What the experiment asks of the stack.
     *
     * @param name experiments are {@code <name>-s<seed>}
     * @param baseModel the reference the jobs name (built-in, or a path inside the services' model directory)
     * @param eval suites (canonical names), items per suite and decoding
     * @param steps updates per job
     * @param evalEvery updates between checkpoints
     * @param seeds the replicates
     * @param timeout give up after this long; null: never
     */
    record Plan(String name, String baseModel, EvalSpec eval, int steps, int evalEvery, List<Long> seeds,
            Duration timeout) {}

    /**
     * What the stack produced.
     *
     * @param runs one per recipe × seed, seed-major, as the in-process runner returns them
     * @param notes the pipeline's facts for the report and results.json
     */
    record Outcome(List<RunResult> runs, Map<String, Object> notes) {}

    private static final Duration POLL = Duration.ofMillis(500);
    // Long enough for a slow evaluation, short enough that a stack without a trainer is noticed.
    private static final Duration QUIET = Duration.ofSeconds(60);
    private static final Duration VISIBLE = Duration.ofSeconds(30);

    private final GatewayJobs gateway;
    private final Plan plan;
    private final List<ExperimentResult.Recipe> recipes;
    private final ExampleStream stream;
    private final FinalCheckpointProbe probe;
    private final ExperimentProgress progress;
    private final PrintWriter err;
    private final Set<String> shown = new HashSet<>(); // "<jobId> <what>" already reported on stderr
    private final Map<String, Map<String, Object>> fanOut = new LinkedHashMap<>();
    private int scored;

    PipelineExperiment(GatewayJobs gateway, Plan plan, List<ExperimentResult.Recipe> recipes, ExampleStream stream,
            FinalCheckpointProbe probe, ExperimentProgress progress, PrintWriter err) {
        this.gateway = gateway;
        this.plan = plan;
        this.recipes = recipes;
        this.stream = stream;
        this.probe = probe;
        this.progress = progress;
        this.err = err;
    }

    Outcome run() throws InterruptedException {
        List<SeedFeed> feeds = feeds();
        create(feeds);
        follow(feeds);
        return collect(feeds);
    }

    private List<SeedFeed> feeds() {
        int batch = recipes.get(0).run().batchSize();
        List<SeedFeed> feeds = new ArrayList<>();
        for (long seed : plan.seeds()) {
            String experiment = plan.name() + "-s" + seed;
            List<PipelineJob> jobs = new ArrayList<>();
            for (ExperimentResult.Recipe r : recipes) {
                jobs.add(new PipelineJob(r.run(), seed, spec(r.run(), experiment, seed, batch)));
            }
            feeds.add(new SeedFeed(experiment, stream.take(seed, plan.steps() * batch), jobs, batch,
                    plan.evalEvery()));
        }
        return feeds;
    }

    private JobSpec spec(RecipeRun recipe, String experiment, long seed, int batch) {
        JobSpec r = recipe.spec();
        return new JobSpec(r.schemaVersion(), experiment + "-" + recipe.name(), plan.baseModel(), r.adapter(),
                r.optimizer(), r.batching(), new CheckpointPolicy(plan.evalEvery() * batch, 0), plan.eval(),
                (long) plan.steps() * batch, false, experiment, seed);
    }

    /** Creates every job, refusing names already in use: a reused job would resume instead of starting fresh. */
    private void create(List<SeedFeed> feeds) throws InterruptedException {
        for (SeedFeed f : feeds) {
            List<String> existing = gateway.experimentJobs(f.experiment());
            if (!existing.isEmpty()) {
                throw new IllegalArgumentException("experiment " + f.experiment() + " already has jobs " + existing
                        + " at " + gateway.base() + ": choose another --name");
            }
            for (PipelineJob j : f.jobs()) {
                if (gateway.job(j.id()).isPresent()) {
                    throw new IllegalArgumentException("job " + j.id() + " already exists at " + gateway.base()
                            + ": choose another --name");
                }
            }
        }
        for (SeedFeed f : feeds) {
            for (PipelineJob j : f.jobs()) {
                gateway.create(j.spec(), VISIBLE);
                progress.line("%s created job %s in experiment %s", j.label(), j.id(), f.experiment());
            }
            // The fan-out writes to the jobs the gateway knows for the experiment: all of them, before any example.
            Set<String> expected = Set.copyOf(ids(f));
            long deadline = System.nanoTime() + VISIBLE.toNanos();
            while (!Set.copyOf(gateway.experimentJobs(f.experiment())).equals(expected)) {
                if (System.nanoTime() > deadline) {
                    throw new PipelineFailure("the gateway does not list jobs " + expected + " in experiment "
                            + f.experiment() + " after " + VISIBLE.toSeconds() + " s", PipelineFailure.FAILED);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Polls the jobs, pushing each seed's next chunk when its checkpoints so far are scored, until all is done. */
    private void follow(List<SeedFeed> feeds) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long lastHint = start;
        while (true) {
            boolean changed = false;
            boolean done = true;
            for (SeedFeed f : feeds) {
                for (PipelineJob j : f.jobs()) {
                    JsonNode view = gateway.job(j.id()).orElseThrow(() -> new PipelineFailure("job " + j.id()
                            + " disappeared from the gateway (deleted?)", PipelineFailure.FAILED));
                    j.update(view, gateway.checkpoints(j.id()));
                    changed |= report(f, j);
                    String problem = j.problem(f.due(), plan.eval().suites()).orElse(null);
                    if (problem != null) {
                        throw new PipelineFailure(j.label() + " " + problem, PipelineFailure.FAILED);
                    }
                }
                if (!f.fullyPushed() && settled(f)) {
                    push(f);
                    changed = true;
                }
                done &= f.fullyPushed() && settled(f) && f.jobs().stream().allMatch(PipelineJob::completed);
            }
            if (done) {
                return;
            }
            long now = System.nanoTime();
            if (changed) {
                lastChange = now;
            }
            if (plan.timeout() != null && now - start > plan.timeout().toNanos()) {
                throw new PipelineFailure("timed out after " + plan.timeout().toSeconds() + " s (--timeout), waiting for "
                        + waits(feeds) + "; the jobs stay on the stack", PipelineFailure.TIMED_OUT);
            }
            if (now - lastChange > QUIET.toNanos() && now - lastHint > QUIET.toNanos()) {
                lastHint = now;
                progress.line("no progress for %d s, waiting for %s; are the trainer-service and eval-service running"
                        + " (./moelora status)?", (now - lastChange) / 1_000_000_000L, waits(feeds));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Prints what is new about the job: checkpoints, complete scores, completion; true when anything was. */
    private boolean report(SeedFeed f, PipelineJob j) {
        boolean any = false;
        int total = f.jobs().size() * f.checkpointCounts().size() * plan.seeds().size();
        for (long count : f.checkpointCounts()) {
            JsonNode c = j.checkpointAt(count).orElse(null);
            if (c == null) {
                continue;
            }
            int step = (int) (count / f.batch());
            if (shown.add(j.id() + " checkpoint " + count)) {
                j.checkpointSeen(count, System.nanoTime());
                checkParameters(j, c.path("checkpoint").path("trainableParams").asLong());
                progress.line("%s step %d/%d: checkpoint %s (%d examples)", j.label(), step, plan.steps(),
                        c.path("checkpoint").path("checkpointId").asText().substring(0, 12), count);
                any = true;
            }
            if (j.missingScores(count, plan.eval().suites()).isEmpty() && shown.add(j.id() + " scored " + count)) {
                scored++;
                progress.line("%s step %d: %s | %s", j.label(), step, ExperimentRunner.format(PipelineResults.eval(c, step, plan.eval().suites())),
                        progress.overall(scored, total, "checkpoints scored"));
                any = true;
            }
        }
        if (j.completed() && shown.add(j.id() + " completed")) {
            progress.line("%s completed: %d examples, %.1f s from pushing examples to checkpoints", j.label(),
                    j.examplesSeen(), j.trainSeconds());
            any = true;
        }
        return any;
    }

    /** The report counts parameters here; a stack that trains another adapter must not go unnoticed. */
    private void checkParameters(PipelineJob j, long onStack) {
        long here = recipes.stream().filter(r -> r.run() == j.recipe()).findFirst().orElseThrow().withRouters();
        if (onStack != here && shown.add(j.id() + " parameters")) {
            progress.line("warning: %s the trainer reports %,d trainable parameters, this process counts %,d for the"
                    + " recipe", j.label(), onStack, here);
        }
    }

    /** True when every job of the seed has every score of every checkpoint the pushed examples produce. */
    private boolean settled(SeedFeed f) {
        for (PipelineJob j : f.jobs()) {
            for (long count : f.due()) {
                if (!j.missingScores(count, plan.eval().suites()).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The seed's next chunk, once, to every job of its experiment, in stream order. */
    private void push(SeedFeed f) throws InterruptedException {
        int from = f.pushed();
        int to = f.nextEnd();
        List<StreamExample> chunk = f.examples().subList(from, to);
        long now = System.nanoTime();
        GatewayPush.Sent sent = gateway.push(f.experiment(), chunk, err);
        List<String> ids = ids(f);
        if (sent.rejected() > 0 || sent.accepted() != chunk.size() || !Set.copyOf(sent.jobs()).equals(Set.copyOf(ids))) {
            throw new PipelineFailure("the fan-out of examples " + (from + 1) + ".." + to + " of experiment "
                    + f.experiment() + " wrote " + sent.accepted() + " of " + chunk.size() + " (" + sent.rejected()
                    + " refused) to jobs " + sent.jobs() + ", expected every example to " + ids
                    + ": the jobs no longer train on the same examples", PipelineFailure.FAILED);
        }
        f.jobs().forEach(j -> j.chunkPushed(to, now));
        f.pushedTo(to);
        Map<String, Object> n = fanOut.computeIfAbsent(f.experiment(), k -> new LinkedHashMap<>());
        n.put("jobs", sent.jobs());
        n.merge("requests", 1, (a, b) -> (Integer) a + (Integer) b);
        n.merge("accepted", sent.accepted(), (a, b) -> (Integer) a + (Integer) b);
        n.merge("rejected", sent.rejected(), (a, b) -> (Integer) a + (Integer) b);
        progress.line("[%s] pushed examples %d..%d of %d once, to every job: %s", f.experiment(), from + 1, to,
                f.examples().size(), String.join(", ", sent.jobs()));
    }

    /** What each unfinished job waits for, for the timeout and no-progress messages. */
    private String waits(List<SeedFeed> feeds) {
        List<String> out = new ArrayList<>();
        for (SeedFeed f : feeds) {
            for (PipelineJob j : f.jobs()) {
                String what = null;
                for (long count : f.due()) {
                    List<String> missing = j.missingScores(count, plan.eval().suites());
                    if (!missing.isEmpty()) {
                        what = j.checkpointAt(count).isEmpty()
                                ? "the checkpoint after " + count + " examples (job state " + j.state() + ")"
                                : "scores " + missing + " of the checkpoint after " + count + " examples";
                        break;
                    }
                }
                if (what == null && f.fullyPushed() && !j.completed()) {
                    what = "completion (job state " + j.state() + ")";
                }
                if (what != null) {
                    out.add(j.label() + " " + j.id() + ": " + what);
                }
            }
        }
        return out.isEmpty() ? "the next push" : String.join("; ", out);
    }

    private Outcome collect(List<SeedFeed> feeds) throws InterruptedException {
        Map<String, String> routingUnavailable = new LinkedHashMap<>();
        Map<String, Integer> lossStepsDropped = new LinkedHashMap<>();
        List<RunResult> runs = new PipelineResults(gateway, plan.eval().suites(), probe, progress)
                .runs(feeds, routingUnavailable, lossStepsDropped);
        Map<String, Object> notes = new LinkedHashMap<>();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("gateway", gateway.base());
        pipeline.put("experiments", fanOut);
        pipeline.put("checkpoints", probe.root().toString());
        notes.put("pipeline", pipeline);
        notes.put("routingUnavailable", routingUnavailable);
        if (!lossStepsDropped.isEmpty()) {
            notes.put("lossStepsNotInEveryRun", lossStepsDropped);
        }
        return new Outcome(runs, notes);
    }

    private static List<String> ids(SeedFeed f) {
        return f.jobs().stream().map(PipelineJob::id).toList();
    }
}
