package io.moelora.cli.experiment;

import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.adapter.RoutingStats;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.eval.EvalRunner;
import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.Suite;
import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.core.train.StepResult;
import io.moelora.core.train.TokenizedExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment in this process: for each seed, each recipe trains a fresh adapter on the seed's
 * example stream (the same examples in the same order for every recipe) for a fixed number of updates,
 * is evaluated on the suites at step 0, every {@code evalEvery} updates and at the end, and, when it
 * routes, probed for its routing per task. The base model is loaded once and shared; the step-0
 * evaluation is the base model's (every adapter starts as the identity, B = 0) and is computed once.
 */
final class ExperimentRunner {

    private final LoadedModel base;
    private final List<RecipeRun> recipes;
    private final ExampleStream stream;
    private final List<Suite> suites;
    private final Map<String, List<InstructionExample>> probes;
    private final EvalSettings eval;
    private final int steps;
    private final int evalEvery;
    private final List<Long> seeds;
    private final ExperimentProgress progress;

    ExperimentRunner(LoadedModel base, List<RecipeRun> recipes, ExampleStream stream, List<Suite> suites,
            Map<String, List<InstructionExample>> probes, EvalSettings eval, int steps, int evalEvery, List<Long> seeds,
            ExperimentProgress progress) {
        RecipeRun.commonBatchSize(recipes);
        this.base = base;
        this.recipes = recipes;
        this.stream = stream;
        this.suites = suites;
        this.probes = probes;
        this.eval = eval;
        this.steps = steps;
        this.evalEvery = evalEvery;
        this.seeds = seeds;
        this.progress = progress;
    }

    /** The runs, seed-major (every recipe of seed 1, then of seed 2, ...). */
    List<RunResult> run() {
        progress.line("evaluating the base model (step 0 of every run) on %s", suites.stream().map(s -> s.spec().name()).toList());
        RunResult.Eval step0 = evaluate(AdapterProvider.NONE, 0);
        progress.line("step 0: %s", format(step0));
        int batch = recipes.get(0).batchSize();
        List<RunResult> out = new ArrayList<>();
        int runs = recipes.size() * seeds.size();
        for (long seed : seeds) {
            List<StreamExample> examples = stream.take(seed, steps * batch);
            Map<Integer, List<TokenizedExample>> byCutoff = new HashMap<>();
            for (RecipeRun recipe : recipes) {
                String name = String.format("[run %d/%d %s seed %d]", out.size() + 1, runs, recipe.name(), seed);
                List<TokenizedExample> encoded = byCutoff.computeIfAbsent(recipe.spec().batching().cutoff(),
                        cutoff -> encode(examples, cutoff));
                out.add(runOne(name, recipe, seed, examples, encoded, step0));
            }
            checkSameExamples(out.subList(out.size() - recipes.size(), out.size()));
        }
        return out;
    }

    private RunResult runOne(String name, RecipeRun recipe, long seed, List<StreamExample> examples,
            List<TokenizedExample> encoded, RunResult.Eval step0) {
        int batch = recipe.batchSize();
        List<String> ids = new ArrayList<>(steps * batch);
        List<RunResult.Step> records = new ArrayList<>(steps);
        List<RunResult.Eval> evals = new ArrayList<>();
        evals.add(step0);
        double trainSeconds = 0;
        double evalSeconds = 0;
        try (AdapterSet adapters = AdapterSet.create(base.model(), recipe.adapter(), seed);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, recipe.options(seed), steps)) {
            for (int i = 0; i < steps; i++) {
                int from = i * batch;
                examples.subList(from, from + batch).forEach(e -> ids.add(e.id()));
                long t0 = System.nanoTime();
                StepResult r = trainer.step(encoded.subList(from, from + batch));
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                RunResult.Step s = new RunResult.Step(i + 1, r.loss(), r.lmLoss(), r.contrastiveLoss(), r.balanceLoss(),
                        gateEntropy(r.routing()), r.skipped());
                records.add(s);
                progress.step(name, s, steps);
                if ((i + 1) % evalEvery == 0 || i + 1 == steps) {
                    long e0 = System.nanoTime();
                    RunResult.Eval e = evaluate(AdapterProvider.eval(adapters), i + 1);
                    evalSeconds += (System.nanoTime() - e0) / 1e9;
                    evals.add(e);
                    progress.line("%s step %d: %s", name, i + 1, format(e));
                }
            }
            List<ModuleRouting> routing = List.of();
            if (recipe.routed()) {
                long p0 = System.nanoTime();
                routing = RoutingProbe.measure(base, adapters, probes, recipe.spec().batching().cutoff(),
                        recipe.spec().batching().microBatch());
                evalSeconds += (System.nanoTime() - p0) / 1e9;
            }
            progress.line("%s done: %.2f s per update, %.1f s evaluating", name, trainSeconds / steps, evalSeconds);
            return new RunResult(recipe.name(), seed, List.copyOf(ids), List.copyOf(records), List.copyOf(evals), routing,
                    trainSeconds, evalSeconds);
        }
    }

    /** The comparison rests on it: every recipe of one seed trained on the same ids in the same order. */
    private static void checkSameExamples(List<RunResult> runsOfOneSeed) {
        List<String> first = runsOfOneSeed.get(0).exampleIds();
        for (RunResult r : runsOfOneSeed) {
            if (!r.exampleIds().equals(first)) {
                throw new IllegalStateException(r.recipe() + " seed " + r.seed() + " trained on other examples than "
                        + runsOfOneSeed.get(0).recipe());
            }
        }
    }

    private List<TokenizedExample> encode(List<StreamExample> examples, int cutoff) {
        ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), cutoff, true, base.model().config().eosId());
        return examples.stream().map(e -> encoder.encode(e.example())).toList();
    }

    private RunResult.Eval evaluate(AdapterProvider adapters, int step) {
        EvalRunner runner = new EvalRunner(base, adapters, eval);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Suite suite : suites) {
            accuracy.put(suite.spec().name(), runner.run(suite, done -> { }).scores().get(0).accuracy());
        }
        return new RunResult.Eval(step, accuracy);
    }

    /** Token-weighted mean gate entropy over modules; 0 without routing. */
    private static double gateEntropy(List<RoutingStats> routing) {
        double sum = 0;
        long tokens = 0;
        for (RoutingStats r : routing) {
            sum += r.meanGateEntropy() * r.tokens();
            tokens += r.tokens();
        }
        return tokens == 0 ? 0 : sum / tokens;
    }

    /** {@code suite 12.5  suite 0.0  average 6.25}, as progress lines show an evaluation. */
    static String format(RunResult.Eval e) {
        StringBuilder sb = new StringBuilder();
        e.accuracy().forEach((suite, acc) -> sb.append(suite).append(' ').append(String.format("%.1f", acc)).append("  "));
        return sb.append(String.format("average %.2f", e.average())).toString();
    }
}
