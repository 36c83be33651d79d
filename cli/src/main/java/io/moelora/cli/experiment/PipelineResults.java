package io.moelora.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs of a finished pipeline experiment as the in-process runner would return them, read back from
 * the stack: accuracy per suite of every checkpoint, the loss curve from the jobs' training metrics, the
 * routing of each final checkpoint, and the time the stack spent.
 */
final class PipelineResults {

    private final GatewayJobs gateway;
    private final List<String> suites;
    private final FinalCheckpointProbe probe;
    private final ExperimentProgress progress;

    PipelineResults(GatewayJobs gateway, List<String> suites, FinalCheckpointProbe probe, ExperimentProgress progress) {
        this.gateway = gateway;
        this.suites = suites;
        this.probe = probe;
        this.progress = progress;
    }

    /**
     * One run per job, seed-major.
     *
     * @param routingUnavailable filled with why a routed run's final checkpoint could not be probed, by run
     * @param lossStepsDropped filled with the loss-curve points left out of a run because another run lacks them
     */
    List<RunResult> runs(List<SeedFeed> feeds, Map<String, String> routingUnavailable,
            Map<String, Integer> lossStepsDropped) throws InterruptedException {
        List<RunResult> runs = new ArrayList<>();
        for (SeedFeed f : feeds) {
            List<String> exampleIds = f.examples().stream().map(StreamExample::id).toList();
            for (PipelineJob j : f.jobs()) {
                if (j.examplesSeen() != f.examples().size()) {
                    throw new PipelineFailure(j.label() + " job " + j.id() + " completed after " + j.examplesSeen()
                            + " examples, expected " + f.examples().size(), PipelineFailure.FAILED);
                }
                List<RunResult.Eval> evals = new ArrayList<>();
                double evalSeconds = 0;
                for (long count : f.checkpointCounts()) {
                    JsonNode c = j.checkpointAt(count).orElseThrow();
                    evals.add(eval(c, (int) (count / f.batch()), suites));
                    for (JsonNode r : c.path("results")) {
                        evalSeconds += r.path("durationMs").asLong() / 1000.0;
                    }
                }
                List<ModuleRouting> routing = List.of();
                if (j.recipe().routed()) {
                    long t0 = System.nanoTime();
                    String last = j.checkpointAt(f.examples().size()).orElseThrow().path("checkpoint")
                            .path("checkpointId").asText();
                    try {
                        routing = probe.measure(j.recipe(), j.id(), last);
                    } catch (FinalCheckpointProbe.Unavailable e) {
                        routingUnavailable.put(j.recipe().name() + " seed " + j.seed(), e.getMessage());
                        progress.line("%s no routing analysis: %s", j.label(), e.getMessage());
                    }
                    evalSeconds += (System.nanoTime() - t0) / 1e9;
                }
                runs.add(new RunResult(j.recipe().name(), j.seed(), exampleIds, steps(gateway.metrics(j.id())), evals,
                        routing, j.trainSeconds(), evalSeconds));
            }
        }
        List<RunResult> aligned = commonSteps(runs, lossStepsDropped);
        if (!lossStepsDropped.isEmpty()) {
            progress.line("warning: loss-curve points missing from some runs were left out of all: %s", lossStepsDropped);
        }
        return aligned;
    }

    /** A checkpoint's accuracy per suite, in {@code suites} order. */
    static RunResult.Eval eval(JsonNode checkpoint, int step, List<String> suites) {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (String suite : suites) {
            accuracy.put(suite, checkpoint.path("scores").path(suite).asDouble());
        }
        return new RunResult.Eval(step, accuracy);
    }

    /**
     * The training metrics as update records. The trainer publishes them every
     * {@code moelora.trainer.metrics-every} updates (and for the first), and none for an update it skipped as
     * non-finite, so these are the updates it reported. Gate entropy: the plain mean over modules, which is
     * the token-weighted one, since every module sees the same tokens.
     */
    private static List<RunResult.Step> steps(List<JsonNode> metrics) {
        List<RunResult.Step> out = new ArrayList<>();
        for (JsonNode m : metrics) {
            double entropy = 0;
            int modules = 0;
            for (JsonNode h : m.path("routingEntropy")) {
                entropy += h.asDouble();
                modules++;
            }
            out.add(new RunResult.Step(m.path("step").asInt(), m.path("loss").asDouble(), m.path("lmLoss").asDouble(),
                    m.path("contrastiveLoss").asDouble(), m.path("balanceLoss").asDouble(),
                    modules == 0 ? 0 : entropy / modules, false));
        }
        return out;
    }

    /**
     * The runs with the loss-curve steps every run has: curves are averaged over seeds step by step, and a
     * metrics record the trainer could not publish would leave one run without a point.
     */
    private static List<RunResult> commonSteps(List<RunResult> runs, Map<String, Integer> dropped) {
        Set<Integer> common = null;
        for (RunResult r : runs) {
            Set<Integer> steps = new HashSet<>();
            r.steps().forEach(s -> steps.add(s.step()));
            if (common == null) {
                common = steps;
            } else {
                common.retainAll(steps);
            }
        }
        Set<Integer> keep = common;
        List<RunResult> out = new ArrayList<>();
        for (RunResult r : runs) {
            List<RunResult.Step> steps = r.steps().stream().filter(s -> keep.contains(s.step())).toList();
            if (steps.size() < r.steps().size()) {
                dropped.put(r.recipe() + " seed " + r.seed(), r.steps().size() - steps.size());
            }
            out.add(new RunResult(r.recipe(), r.seed(), r.exampleIds(), steps, r.evals(), r.routing(), r.trainSeconds(),
                    r.evalSeconds()));
        }
        return out;
    }
}
