package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Single-sequence greedy decoding speed and model load time. The baseline, measured in the same
 * run, is decoding without the KV cache (every step recomputes the whole prefix), so the printed
 * ratio is the cache's speed-up on this machine.
 */
final class GenerationBench {

    private GenerationBench() {}

    static void run(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path model = Path.of(required(opt, "--model"));
        Path tokenizer = opt.containsKey("--tokenizer") ? Path.of(opt.get("--tokenizer")) : null;
        int tokens = Integer.parseInt(opt.getOrDefault("--tokens", "256"));
        int runs = Integer.parseInt(opt.getOrDefault("--runs", "5"));

        System.out.printf("machine: %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
        long t0 = System.nanoTime();
        DjlRuntime.engine();
        double engineMs = (System.nanoTime() - t0) / 1e6;
        double[] loadMs = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            ModelLoader.load(model, tokenizer).close();
            loadMs[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf("engine start: %.0f ms; model load (median of %d): %.1f ms%n", engineMs, runs, median(loadMs));

        try (LoadedModel loaded = ModelLoader.load(model, tokenizer)) {
            LlamaModel m = loaded.model();
            int[] bos = {m.config().bosId()};
            // no stop ids: every run produces exactly `tokens` tokens
            GreedyGenerator generator = new GreedyGenerator(m, Set.of());
            generator.generate(List.of(bos), tokens); // warm-up
            double[] cached = new double[runs];
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                int n = generator.generate(List.of(bos), tokens).get(0).length;
                cached[i] = n / ((System.nanoTime() - s) / 1e9);
            }
            double[] uncached = new double[runs];
            for (int i = 0; i < runs; i++) {
                uncached[i] = recomputeTokensPerSecond(m, bos, tokens);
            }
            double c = median(cached);
            double u = median(uncached);
            System.out.printf("greedy, 1 sequence, %d tokens (median of %d): %.1f tokens/s with KV cache%n", tokens, runs, c);
            System.out.printf("baseline, full recomputation per token: %.1f tokens/s; KV cache speed-up: %.2fx%n", u, c / u);
        }
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

    private static double median(double[] xs) {
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got '" + args[i] + "'");
            }
            out.put(args[i], args[i + 1]);
        }
        return out;
    }

    private static String required(Map<String, String> opt, String key) {
        String v = opt.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return v;
    }
}
