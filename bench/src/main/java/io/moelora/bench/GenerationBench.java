package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Decoding speed with the KV cache: model load time, then greedy tokens/s for one sequence (the
 * baseline) and for batches of sequences, and beam search's cost, on the {@code --model} file and on
 * synthetic LLaMA-style models of the {@code --dims} widths ({@link ModelShape}). Cases alternate in
 * rounds ({@link AlternatingRounds}); ratios are paired per round. On the model file the round also
 * decodes without the KV cache (every step recomputes the whole prefix): the cache's speed-up.
 * No stop ids, so every row produces exactly {@code --tokens} tokens and an item is one row.
 */
final class GenerationBench {

    static final String PNG = "generation-throughput.png";
    private static final String SINGLE = "greedy b1";

    private GenerationBench() {}

    /** A model to decode with, and whether to also time decoding without the cache (slow: O(T^2)). */
    private record Target(String name, LlamaModel model, boolean recompute) {}

    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        Path model = Path.of(o.required("--model"));
        Path tokenizer = o.has("--tokenizer") ? Path.of(o.string("--tokenizer", "")) : null;
        int tokens = o.integer("--tokens", 256);
        int rounds = o.integer("--runs", 5);
        int promptLength = o.integer("--prompt", 8);
        List<Integer> batches = o.integers("--batches", "8,32");
        int beams = o.integer("--beams", 4);
        List<Integer> dims = o.integers("--dims", "512");
        Path out = Path.of(o.string("--out", BarChart.DEFAULT_OUT));

        System.out.println(Machine.line());
        long t0 = System.nanoTime();
        DjlRuntime.engine();
        double engineMs = (System.nanoTime() - t0) / 1e6;
        double[] loadMs = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long s = System.nanoTime();
            ModelLoader.load(model, tokenizer).close();
            loadMs[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf("engine start: %.0f ms; model load (median of %d): %.1f ms%n", engineMs, rounds,
                Stats.median(loadMs));

        BarChart chart = new BarChart("Decoding throughput with the KV cache (" + tokens + " new tokens per row)",
                "decoding", "generated tokens/s");
        try (LoadedModel loaded = ModelLoader.load(model, tokenizer); NDManager synthetic = DjlRuntime.newManager()) {
            List<Target> targets = new ArrayList<>();
            targets.add(new Target(model.getFileName().toString().replaceFirst("\\.bin$", ""), loaded.model(), true));
            for (int dim : dims) {
                ModelShape shape = ModelShape.llama(dim);
                targets.add(new Target("synthetic d" + dim, shape.build(promptLength + tokens, synthetic), false));
            }
            for (Target t : targets) {
                measure(t, tokens, rounds, promptLength, batches, beams, chart);
            }
        }
        chart.write(out, PNG);
    }

    private static void measure(Target t, int tokens, int rounds, int promptLength, List<Integer> batches, int beams,
            BarChart chart) throws Exception {
        LlamaConfig c = t.model().config();
        System.out.printf("%n%s (dim %d, %d layers, %d heads, vocab %d): %d new tokens per row, prompts of %d tokens,"
                + " %d rounds%n", t.name(), c.dim(), c.nLayers(), c.nHeads(), c.vocabSize(), tokens, promptLength, rounds);
        int rows = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<int[]> prompts = prompts(Math.max(1, rows), promptLength, c);
        // no stop ids: every row produces exactly `tokens` tokens
        GreedyGenerator greedy = new GreedyGenerator(t.model(), Set.of());
        BeamSearch beam = new BeamSearch(t.model(), Set.of(), AdapterProvider.NONE,
                new BeamSearch.Settings(beams, tokens, 1.0, BeamSearch.LengthMode.GENERATED));
        AlternatingRounds r = new AlternatingRounds();
        r.add(SINGLE, "tokens/s", () -> greedyTokensPerSecond(greedy, prompts.subList(0, 1), tokens));
        for (int b : batches) {
            r.add("greedy b" + b, "tokens/s", () -> greedyTokensPerSecond(greedy, prompts.subList(0, b), tokens));
        }
        String beamCase = "beam " + beams;
        r.add(beamCase, "tokens/s", () -> {
            long s = System.nanoTime();
            int n = beam.search(prompts.get(0)).tokens().length;
            return n / ((System.nanoTime() - s) / 1e9);
        });
        if (t.recompute()) {
            r.add("no KV cache b1", "tokens/s", () -> recomputeTokensPerSecond(t.model(), prompts.get(0), tokens));
        }
        r.run(rounds, true);

        double single = r.median(SINGLE);
        System.out.printf("%-16s %12s %10s %22s%n", "case", "tokens/s", "ms/item", "vs greedy b1 (paired)");
        System.out.printf("%-16s %12.1f %10.1f %21.2fx%n", SINGLE, single, 1000.0 * tokens / single, 1.0);
        chart.add(t.name(), "batch 1", single);
        for (int b : batches) {
            String name = "greedy b" + b;
            double v = r.median(name);
            System.out.printf("%-16s %12.1f %10.1f %21.2fx  (batched / single-stream; target >= 5x)%n", name, v,
                    1000.0 * tokens / v, r.pairedRatio(name, SINGLE));
            chart.add(t.name(), "batch " + b, v);
        }
        double bv = r.median(beamCase);
        System.out.printf("%-16s %12.1f %10.1f %21.2fx%n", beamCase, bv, 1000.0 * tokens / bv,
                r.pairedRatio(beamCase, SINGLE));
        chart.add(t.name(), beamCase + " (1 item)", bv);
        StringBuilder perItem = new StringBuilder();
        for (int b : batches) {
            // an item is `tokens` tokens whichever way it is decoded: time per item scales as 1 / tokens/s
            perItem.append(String.format(", %.2fx greedy b%d", r.pairedRatio("greedy b" + b, beamCase), b));
        }
        System.out.printf("beam %d cost: %.2fx greedy's time per generated token (single stream);"
                + " per item %.2fx greedy b1%s%n", beams, r.pairedRatio(SINGLE, beamCase), r.pairedRatio(SINGLE, beamCase),
                perItem);
        if (t.recompute()) {
            double u = r.median("no KV cache b1");
            System.out.printf("baseline, full recomputation per token: %.1f tokens/s; KV cache speed-up: %.2fx (paired)%n",
                    u, r.pairedRatio(SINGLE, "no KV cache b1"));
        }
    }

    /** Distinct seeded prompts: BOS then random ids (above the special ids). */
    private static List<int[]> prompts(int n, int length, LlamaConfig c) {
        Random rng = new Random(11);
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] p = new int[length];
            p[0] = c.bosId();
            for (int t = 1; t < length; t++) {
                p[t] = 3 + rng.nextInt(c.vocabSize() - 3);
            }
            out.add(p);
        }
        return out;
    }

    private static double greedyTokensPerSecond(GreedyGenerator g, List<int[]> prompts, int tokens) {
        long s = System.nanoTime();
        long n = g.generate(prompts, tokens).stream().mapToLong(x -> x.length).sum();
        return n / ((System.nanoTime() - s) / 1e9);
    }

    private static double recomputeTokensPerSecond(LlamaModel m, int[] prompt, int tokens) {
        DjlRuntime.inferenceMode();
        List<Integer> seq = new ArrayList<>(Arrays.stream(prompt).boxed().toList());
        long s = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            try (NDManager step = m.weightsManager().newSubManager()) {
                int[] ids = seq.stream().mapToInt(Integer::intValue).toArray();
                long next = m.lastLogits(step, TokenBatch.leftPadded(List.of(ids), 0), null).argMax(-1).toLongArray()[0];
                seq.add((int) next);
            }
        }
        return tokens / ((System.nanoTime() - s) / 1e9);
    }
}
