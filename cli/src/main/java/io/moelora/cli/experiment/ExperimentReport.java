package io.moelora.cli.experiment;

import io.moelora.core.adapter.AdapterConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.md}: the experiment's settings, parameter counts, accuracy as mean ± std over seeds, the
 * curves, the routing analysis and a reading written from the numbers alone.
 */
final class ExperimentReport {

    /** Updates at the end of a run whose LM loss is averaged for the "final loss" (single steps are noisy). */
    static final int LOSS_TAIL = 10;

    private ExperimentReport() {}

    static String markdown(ExperimentResult result, Map<String, Object> notes, boolean synthetic) {
        StringBuilder md = new StringBuilder();
        ExperimentSetup s = result.setup();
        md.append("# Experiment: ").append(String.join(" vs ", result.recipes().stream().map(ExperimentResult.Recipe::name).toList()))
                .append("\n\n");
        md.append("| setting | value |\n|---|---|\n");
        row(md, "base model", "`" + s.model() + "`");
        row(md, "training data", "`" + s.train() + "`: " + (synthetic
                ? "the built-in training generators of those suites, seeded by the run's seed, interleaved round-robin"
                : "the file's items shuffled with the run's seed (reshuffled for each further pass)"));
        row(md, "examples", s.steps() + " updates × " + s.batch() + " examples = " + s.steps() * s.batch()
                + " per run; every recipe of one seed gets exactly the same examples in the same order (checked on the recorded ids)");
        row(md, "evaluation", String.join(", ", s.suites()) + " (held-out test split), " + (s.limit() == null ? "all items"
                : s.limit() + " items per suite (seeded subset)") + ", " + s.decoding() + " decoding; at step 0, every "
                + s.evalEvery() + " updates and at the end");
        row(md, "seeds", s.seeds().size() + " (" + s.seeds() + "): adapter and router init, dropout, contrastive subsets and the data stream");
        row(md, "machine", s.machine());
        row(md, "mode", mode(s, notes));
        md.append("\n```\n").append(s.command()).append("\n```\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Long> overlap = (Map<String, Long>) notes.get("overlap");
        if (overlap != null) {
            md.append("Train/test separation: ").append(overlap.get("sharingAnInstructionWithATestItem")).append(" of the ")
                    .append(overlap.get("trainingExamples")).append(" training examples (all seeds) share an instruction with one of the ")
                    .append(overlap.get("testItems")).append(" test items of the evaluated suites")
                    .append(synthetic ? " (the synthetic generators assign each instruction to one split by a fixed hash of its text)." : ".")
                    .append("\n\n");
        }
        parameters(md, result);
        accuracy(md, result);
        curves(md, result);
        routing(md, result, notes);
        reading(md, result);
        appendix(md, result);
        return md.toString();
    }

    /** How the runs were made, and what that means for the timings and curves below. */
    private static String mode(ExperimentSetup s, Map<String, Object> notes) {
        if (!"pipeline".equals(s.mode())) {
            return "in-process: one JVM, the base model loaded once, runs one after another";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pipeline = (Map<String, Object>) notes.getOrDefault("pipeline", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> experiments = (Map<String, Object>) pipeline.getOrDefault("experiments", Map.of());
        return "pipeline: jobs on the stack behind the gateway at " + pipeline.get("gateway") + " (experiments "
                + String.join(", ", experiments.keySet()) + ", one job per recipe); each seed's examples pushed once"
                + " through the experiment's fan-out, a chunk per checkpoint once the previous checkpoints were scored;"
                + " checkpoints scored by the eval service; loss curve: the updates the trainer published metrics for;"
                + " s / update: wall time from pushing a chunk to its checkpoint, shared with the jobs training alongside;"
                + " s evaluating: the eval service's time plus the routing probe here; machine: this process's";
    }

    private static void parameters(StringBuilder md, ExperimentResult result) {
        md.append("## Trainable parameters\n\n| recipe | adapter | trainable | without routers | routers |\n|---|---|---:|---:|---:|\n");
        for (ExperimentResult.Recipe r : result.recipes()) {
            md.append(String.format("| %s | %s | %,d | %,d | %,d |%n", r.name(), r.run().describe(), r.withRouters(),
                    r.withoutRouters(), r.withRouters() - r.withoutRouters()));
        }
        md.append("\n");
    }

    private static void accuracy(StringBuilder md, ExperimentResult result) {
        List<String> suites = result.setup().suites();
        md.append("## Accuracy at the last step (%, mean ± std over ").append(result.setup().seeds().size()).append(" seeds)\n\n| recipe |");
        suites.forEach(x -> md.append(' ').append(x).append(" |"));
        md.append(" average | Δ average vs ").append(baseline(result).name()).append(" |\n|---|");
        md.append("---:|".repeat(suites.size() + 2)).append("\n| base model (step 0) |");
        RunResult.Eval base = result.runs().get(0).evals().get(0);
        suites.forEach(x -> md.append(String.format(" %.2f |", base.accuracy().get(x))));
        md.append(String.format(" %.2f | |%n", base.average()));
        Stats ref = finalAverage(result, baseline(result).name());
        for (ExperimentResult.Recipe r : result.recipes()) {
            List<RunResult> runs = result.runsOf(r.name());
            md.append("| ").append(r.name()).append(" |");
            for (String suite : suites) {
                md.append(' ').append(over(runs, run -> run.last().accuracy().get(suite)).format(2)).append(" |");
            }
            Stats avg = finalAverage(result, r.name());
            md.append(' ').append(avg.format(2)).append(" | ")
                    .append(r == baseline(result) ? "" : String.format("%+.2f", avg.mean() - ref.mean())).append(" |\n");
        }
        md.append("\n");
    }

    private static void curves(StringBuilder md, ExperimentResult result) {
        md.append("## Curves\n\n![LM loss](").append(ReportPlots.LOSS).append(")\n\n![Average accuracy](")
                .append(ReportPlots.ACCURACY).append(")\n\n");
        List<Integer> steps = result.runs().get(0).evals().stream().map(RunResult.Eval::step).toList();
        md.append("Average accuracy by step (mean ± std over seeds):\n\n| recipe |");
        steps.forEach(st -> md.append(" step ").append(st).append(" |"));
        md.append("\n|---|").append("---:|".repeat(steps.size())).append("\n");
        for (ExperimentResult.Recipe r : result.recipes()) {
            List<RunResult> runs = result.runsOf(r.name());
            md.append("| ").append(r.name()).append(" |");
            for (int i = 0; i < steps.size(); i++) {
                int at = i;
                md.append(' ').append(over(runs, run -> run.evals().get(at).average()).format(1)).append(" |");
            }
            md.append("\n");
        }
        md.append("\nLM loss, mean of the last ").append(Math.min(LOSS_TAIL, result.setup().steps()))
                .append(" updates (mean ± std over seeds): ");
        List<String> parts = new ArrayList<>();
        for (ExperimentResult.Recipe r : result.recipes()) {
            parts.add(r.name() + " " + finalLoss(result, r.name()).format(4));
        }
        md.append(String.join("; ", parts)).append(".\n\n");
    }

    private static void routing(StringBuilder md, ExperimentResult result, Map<String, Object> notes) {
        List<ExperimentResult.Recipe> routed = result.recipes().stream().filter(r -> r.run().routed()).toList();
        md.append("## Routing\n\n");
        if (routed.isEmpty()) {
            md.append("No recipe routes (all are LoRA).\n\n");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> unavailable = (Map<String, String>) notes.getOrDefault("routingUnavailable", Map.of());
        if (!unavailable.isEmpty()) {
            routingUnavailable(md, result, routed, unavailable);
            return;
        }
        md.append("After training, each run's adapter is run teacher-forced (eval mode) over ").append(result.setup().probeItems())
                .append(" held-out test examples per task (question and reference answer, in the training prompt format). ")
                .append("Counted: every token after the ").append(notes.get("probeSkip"))
                .append(" prompt-template tokens all probe sequences start with (those have the same hidden state in every example). ")
                .append("Gate entropy: mean over tokens of the entropy of the top-k gates (max ln k). Load entropy: entropy of the ")
                .append("top-1 expert over all tasks' tokens (max ln N; ln N = uniform load). Task information: mutual information ")
                .append("between the task and the top-1 expert (0 = every task routed alike). All in nats, averaged over modules, ")
                .append("mean ± std over seeds.\n\n");
        md.append("| recipe | experts | gate entropy (max ln k) | load entropy (max ln N) | task information | gate entropy during the last ")
                .append(Math.min(LOSS_TAIL, result.setup().steps())).append(" updates |\n|---|---|---:|---:|---:|---:|\n");
        for (ExperimentResult.Recipe r : routed) {
            AdapterConfig c = r.run().adapter();
            List<RunResult> runs = result.runsOf(r.name());
            md.append(String.format("| %s | %d, top-%d | %s (%.3f) | %s (%.3f) | %s | %s |%n", r.name(), c.experts(), c.topK(),
                    over(runs, run -> moduleMean(run, ModuleRouting::meanGateEntropy)).format(3), Math.log(c.topK()),
                    over(runs, run -> moduleMean(run, ModuleRouting::loadEntropy)).format(3), Math.log(c.experts()),
                    over(runs, run -> moduleMean(run, ModuleRouting::taskInformation)).format(3),
                    over(runs, ExperimentReport::trainingGateEntropy).format(3)));
        }
        md.append("\n![Gate entropy during training](").append(ReportPlots.GATE_ENTROPY).append(")\n\n");
        ModuleRouting probe = result.runsOf(routed.get(0).name()).get(0).routing().get(0);
        List<String> counted = new ArrayList<>();
        for (String task : probe.top1().keySet()) {
            counted.add(task + " " + Arrays.stream(probe.top1().get(task)).sum());
        }
        md.append("Tokens counted per module and task: ").append(String.join(", ", counted)).append(".\n\n");
        long seed = result.setup().seeds().get(0);
        md.append("Top-1 expert histograms per layer, module and task, seed ").append(seed)
                .append(" (expert numbers are not comparable across seeds, so histograms are not pooled): the share of the ")
                .append("task's tokens whose top-1 is each expert, then the gate entropy.\n\n");
        md.append("| module | task |");
        routed.forEach(r -> md.append(' ').append(r.name()).append(" top-1 shares | H gate |"));
        md.append("\n|---|---|").append("---|---:|".repeat(routed.size())).append("\n");
        List<RunResult> firstSeed = routed.stream().map(r -> result.runsOf(r.name()).get(0)).toList();
        List<ModuleRouting> modules = firstSeed.get(0).routing();
        for (int m = 0; m < modules.size(); m++) {
            for (String task : modules.get(m).top1().keySet()) {
                md.append("| ").append(modules.get(m).key()).append(" | ").append(task).append(" |");
                for (RunResult run : firstSeed) {
                    ModuleRouting mr = run.routing().get(m);
                    StringBuilder shares = new StringBuilder();
                    for (double v : mr.shares(task)) {
                        shares.append(shares.isEmpty() ? "" : " ").append(String.format("%.2f", v));
                    }
                    md.append(' ').append(shares).append(String.format(" | %.3f |", mr.gateEntropy().get(task)));
                }
                md.append("\n");
            }
        }
        md.append("\n|");
        routed.forEach(r -> md.append(' ').append(r.name()).append(" |"));
        md.append("\n|").append("---|".repeat(routed.size())).append("\n|");
        routed.forEach(r -> md.append(" ![").append(r.name()).append("](").append(ReportPlots.routingFile(r.name())).append(") |"));
        md.append("\n\n");
    }

    /**
     * Routing that could not be measured (pipeline mode: a final checkpoint this process cannot read) is
     * said, run by run, with what the training still tells about the gates.
     */
    private static void routingUnavailable(StringBuilder md, ExperimentResult result, List<ExperimentResult.Recipe> routed,
            Map<String, String> unavailable) {
        md.append("The routing analysis probes each routed run's final adapter; it was not measured, because the final"
                + " checkpoint could not be read here:\n\n");
        unavailable.forEach((run, why) -> md.append("- ").append(run).append(": ").append(why).append('\n'));
        md.append("\nWhat training reported (mean gate entropy over modules, nats, mean ± std over seeds):\n\n"
                + "| recipe | experts | gate entropy during the last ").append(Math.min(LOSS_TAIL, result.setup().steps()))
                .append(" updates (max ln k) |\n|---|---|---:|\n");
        for (ExperimentResult.Recipe r : routed) {
            AdapterConfig c = r.run().adapter();
            md.append(String.format("| %s | %d, top-%d | %s (%.3f) |%n", r.name(), c.experts(), c.topK(),
                    over(result.runsOf(r.name()), ExperimentReport::trainingGateEntropy).format(3), Math.log(c.topK())));
        }
        md.append("\n![Gate entropy during training](").append(ReportPlots.GATE_ENTROPY).append(")\n\n");
    }

    private static void reading(StringBuilder md, ExperimentResult result) {
        md.append("## Reading\n\n");
        ExperimentResult.Recipe base = baseline(result);
        Stats ref = finalAverage(result, base.name());
        int n = result.setup().seeds().size();
        md.append(String.format("Written from the numbers above (%d seeds; ± is the sample standard deviation over seeds). ", n));
        md.append(String.format("The base model scores %.2f on average; %s reaches %s.", result.runs().get(0).evals().get(0).average(),
                base.name(), ref.format(2)));
        for (ExperimentResult.Recipe r : result.recipes()) {
            if (r == base) {
                continue;
            }
            Stats a = finalAverage(result, r.name());
            double d = a.mean() - ref.mean();
            md.append(String.format(" %s: %s, %+.2f points vs %s, %s.", r.name(), a.format(2), d, base.name(),
                    Math.abs(d) > Math.max(a.std(), ref.std()) ? "larger than either recipe's spread over seeds"
                            : "within the spread over seeds"));
        }
        md.append(" Final LM loss (last updates):");
        for (ExperimentResult.Recipe r : result.recipes()) {
            md.append(' ').append(r.name()).append(' ').append(finalLoss(result, r.name()).format(4)).append(';');
        }
        md.setLength(md.length() - 1);
        md.append('.');
        for (ExperimentResult.Recipe r : result.recipes()) {
            Optional<ExperimentResult.Recipe> ablation = withoutContrastive(result, r);
            if (ablation.isEmpty()) {
                continue;
            }
            List<RunResult> with = result.runsOf(r.name());
            List<RunResult> without = result.runsOf(ablation.get().name());
            if (with.stream().anyMatch(run -> run.routing().isEmpty()) || without.stream().anyMatch(run -> run.routing().isEmpty())) {
                md.append(String.format(" With the contrastive loss (%s) vs without (%s): average accuracy %s vs %s (routing"
                        + " not measured, see Routing).", r.name(), ablation.get().name(),
                        finalAverage(result, r.name()).format(2), finalAverage(result, ablation.get().name()).format(2)));
                continue;
            }
            Stats infoWith = over(with, run -> moduleMean(run, ModuleRouting::taskInformation));
            Stats infoWithout = over(without, run -> moduleMean(run, ModuleRouting::taskInformation));
            Stats loadWith = over(with, run -> moduleMean(run, ModuleRouting::loadEntropy));
            Stats loadWithout = over(without, run -> moduleMean(run, ModuleRouting::loadEntropy));
            Stats gateWith = over(with, run -> moduleMean(run, ModuleRouting::meanGateEntropy));
            Stats gateWithout = over(without, run -> moduleMean(run, ModuleRouting::meanGateEntropy));
            md.append(String.format(" With the contrastive loss (%s) vs without (%s): task information %s vs %s nats (%s), "
                    + "load entropy %s vs %s, gate entropy %s vs %s, average accuracy %s vs %s.", r.name(), ablation.get().name(),
                    infoWith.format(3), infoWithout.format(3),
                    Math.abs(infoWith.mean() - infoWithout.mean()) > Math.max(infoWith.std(), infoWithout.std())
                            ? "a difference larger than either spread over seeds" : "a difference within the spread over seeds",
                    loadWith.format(3), loadWithout.format(3), gateWith.format(3), gateWithout.format(3),
                    finalAverage(result, r.name()).format(2), finalAverage(result, ablation.get().name()).format(2)));
        }
        md.append(String.format(" With %d seeds and %s items per suite these are the measurements at this scale, not a test of significance.%n%n",
                n, result.setup().limit() == null ? "all" : result.setup().limit()));
    }

    private static void appendix(StringBuilder md, ExperimentResult result) {
        List<String> suites = result.setup().suites();
        md.append("## Per-seed results\n\n<details><summary>every run</summary>\n\n| recipe | seed |");
        suites.forEach(x -> md.append(' ').append(x).append(" |"));
        md.append(" average | LM loss (last updates) | skipped updates | s / update | s evaluating |\n|---|---:|")
                .append("---:|".repeat(suites.size() + 5)).append("\n");
        for (RunResult run : result.runs()) {
            md.append("| ").append(run.recipe()).append(" | ").append(run.seed()).append(" |");
            suites.forEach(x -> md.append(String.format(" %.2f |", run.last().accuracy().get(x))));
            md.append(String.format(" %.2f | %.4f | %d | %.3f | %.1f |%n", run.last().average(), tailLoss(run),
                    run.steps().stream().filter(RunResult.Step::skipped).count(), run.trainSeconds() / run.steps().size(),
                    run.evalSeconds()));
        }
        md.append("\n</details>\n\nEvery number, curve point, histogram and the example ids each run trained on, in order: `results.json`.\n");
    }

    /** The first LoRA recipe, else the first recipe: differences are stated against it. */
    private static ExperimentResult.Recipe baseline(ExperimentResult result) {
        return result.recipes().stream().filter(r -> !r.run().routed()).findFirst().orElse(result.recipes().get(0));
    }

    /** The routed recipe that differs from {@code r} only by a zero contrastive weight, when {@code r} has one. */
    private static Optional<ExperimentResult.Recipe> withoutContrastive(ExperimentResult result, ExperimentResult.Recipe r) {
        AdapterConfig c = r.run().adapter();
        if (!r.run().routed() || c.contrastiveWeight() == 0) {
            return Optional.empty();
        }
        return result.recipes().stream().filter(o -> o.run().routed() && o.run().adapter().contrastiveWeight() == 0
                && o.run().adapter().equals(withContrastiveWeight(c, 0))).findFirst();
    }

    private static AdapterConfig withContrastiveWeight(AdapterConfig c, double beta) {
        return new AdapterConfig(c.type(), c.rank(), c.alpha(), c.scale(), c.dropout(), c.targets(), c.experts(), c.topK(),
                c.expertRank(), beta, c.temperature(), c.maxSamples(), c.balanceWeight(), c.routerInit());
    }

    private static Stats finalAverage(ExperimentResult result, String recipe) {
        return over(result.runsOf(recipe), run -> run.last().average());
    }

    private static Stats finalLoss(ExperimentResult result, String recipe) {
        return over(result.runsOf(recipe), ExperimentReport::tailLoss);
    }

    private static double tailLoss(RunResult run) {
        List<RunResult.Step> steps = run.steps();
        return steps.subList(Math.max(0, steps.size() - LOSS_TAIL), steps.size()).stream()
                .mapToDouble(RunResult.Step::lmLoss).average().orElse(Double.NaN);
    }

    private static double trainingGateEntropy(RunResult run) {
        List<RunResult.Step> steps = run.steps();
        return steps.subList(Math.max(0, steps.size() - LOSS_TAIL), steps.size()).stream()
                .mapToDouble(RunResult.Step::gateEntropy).average().orElse(Double.NaN);
    }

    private static double moduleMean(RunResult run, ToDoubleFunction<ModuleRouting> f) {
        return run.routing().stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static Stats over(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return Stats.of(runs.stream().map(f::applyAsDouble).toList());
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
