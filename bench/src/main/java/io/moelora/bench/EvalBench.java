package io.moelora.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.eval.EvalRunner;
import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.Family;
import io.moelora.core.eval.Suite;
import io.moelora.core.eval.SuiteLoader;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.LlamaConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluation throughput (items/s) per suite family on the built-in synthetic suites
 * ({@value SyntheticSuites#ADDSUB} = math; {@value SyntheticSuites#CHOICE} and
 * {@value SyntheticSuites#TRUE_FALSE} = commonsense), with the evaluation protocol's prompts, budgets
 * and stop ids ({@link EvalRunner}): greedy one item at a time (the baseline), greedy in batches, and
 * beam search. Then several adapters on one loaded base: K adapter sets are created on the same
 * {@link io.moelora.core.model.LlamaModel} and each is evaluated; the benchmark asserts that the base
 * was loaded exactly once ({@link BaseLoads}) and prints RSS after 1 and after K adapters beside the
 * base's weight size. Writes {@value #PNG}.
 */
final class EvalBench {

    static final String PNG = "eval-items-per-s.png";
    private static final String SINGLE = "greedy b1";
    private static final double MIB = 1024.0 * 1024.0;
    /** The adapter benchmark's MoELoRA (N = 4, top-2, r_e = 2 on q_proj, v_proj); in eval mode routing still runs. */
    private static final AdapterConfig ADAPTER = AdapterConfig.moelora(AdapterBench.EXPERTS, AdapterBench.TOP_K,
            AdapterBench.RANK / AdapterBench.EXPERTS, 2.0 * AdapterBench.RANK, 0.05, AdapterBench.TARGETS, 0.1, 0.1, 64,
            0.01);

    private EvalBench() {}

    /**
     * {@code bench.sh eval --models A,B [--tokenizer F] [--limit 16] [--batch 8] [--beams 4] [--rounds 3]
     * [--adapters 4] [--max-tokens N] [--out DIR]}.
     */
    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        List<String> models = o.list("--models", "");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--models is required: model files or synthetic:DIM, comma-separated");
        }
        Path tokenizer = o.has("--tokenizer") ? Path.of(o.string("--tokenizer", "")) : null;
        Plan plan = new Plan(o.integer("--limit", 16), o.has("--max-tokens") ? o.integer("--max-tokens", 0) : null,
                o.integer("--batch", EvalSettings.DEFAULT_BATCH), o.integer("--beams", EvalSettings.REFERENCE_BEAMS),
                o.integer("--rounds", 3), o.integer("--adapters", 4));
        Path out = Path.of(o.string("--out", BarChart.DEFAULT_OUT));
        System.out.println(Machine.line());
        System.out.printf("suites %s, %d items each (seeded subset), %s, protocol stop ids%n", SyntheticSuites.NAMES,
                plan.limit(), plan.maxTokens() == null ? "protocol budgets" : "at most " + plan.maxTokens() + " new tokens");

        Map<Family, List<Suite>> families = new TreeMap<>();
        for (FamilySuite s : suites()) {
            families.computeIfAbsent(s.family(), f -> new ArrayList<>()).add(s.suite());
        }
        BarChart chart = new BarChart("Evaluation throughput per suite family (synthetic suites)", "family", "items/s");
        for (String ref : models) {
            try (LoadedModel base = BaseLoads.load(ref, tokenizer)) {
                decodings(ref, base, families, plan, chart);
                sharedBase(ref, base, families, plan);
            }
        }
        chart.write(out, PNG);
    }

    /**
     * What to run: {@code limit} items per suite, at most {@code maxTokens} new tokens (null: the suites'
     * budgets), greedy batches of {@code batch}, {@code beams} beams, {@code rounds} rounds, {@code adapters} sets.
     */
    private record Plan(int limit, Integer maxTokens, int batch, int beams, int rounds, int adapters) {
        EvalSettings settings(int beamCount, int batchSize) {
            return new EvalSettings(beamCount, 1.0, BeamSearch.LengthMode.GENERATED, limit, EvalSettings.DEFAULT_SEED,
                    batchSize, maxTokens);
        }
    }

    private record FamilySuite(Family family, Suite suite) {}

    private static List<FamilySuite> suites() {
        SuiteRegistry registry = SuiteRegistry.standard();
        return SyntheticSuites.NAMES.stream().map(registry::get)
                .map(spec -> new FamilySuite(spec.family(), SuiteLoader.load(null, spec))).toList();
    }

    /** Items/s per family and decoding, alternating in rounds; ratios paired against greedy one at a time. */
    private static void decodings(String ref, LoadedModel base, Map<Family, List<Suite>> families, Plan plan,
            BarChart chart) throws Exception {
        LlamaConfig c = base.model().config();
        String label = BaseLoads.label(ref);
        System.out.printf("%n%s (dim %d, %d layers, vocab %d)%n", label, c.dim(), c.nLayers(), c.vocabSize());
        Map<String, EvalSettings> decodings = new LinkedHashMap<>();
        decodings.put(SINGLE, plan.settings(1, 1));
        decodings.put("greedy b" + plan.batch(), plan.settings(1, plan.batch()));
        decodings.put("beam " + plan.beams(), plan.settings(plan.beams(), 1));
        AlternatingRounds r = new AlternatingRounds();
        Map<String, long[]> tokens = new TreeMap<>(); // case -> {generated tokens, items} of its last run
        for (Family f : families.keySet()) {
            for (Map.Entry<String, EvalSettings> d : decodings.entrySet()) {
                String name = f.id() + " " + d.getKey();
                r.add(name, "items/s", () -> itemsPerSecond(base, AdapterProvider.NONE, d.getValue(), families.get(f),
                        tokens, name));
            }
        }
        r.run(plan.rounds(), true);
        System.out.printf("%-13s %-12s %10s %12s %16s%n", "family", "decoding", "items/s", "tokens/item",
                "vs greedy b1");
        for (Family f : families.keySet()) {
            for (String d : decodings.keySet()) {
                String name = f.id() + " " + d;
                long[] t = tokens.get(name);
                System.out.printf("%-13s %-12s %10.2f %12.1f %15.2fx%n", f.id(), d, r.median(name),
                        (double) t[0] / t[1], r.pairedRatio(name, f.id() + " " + SINGLE));
                chart.add(label + " " + d, f.id(), r.median(name));
            }
        }
    }

    /**
     * K adapter sets on the one loaded base, each evaluated on every suite (greedy, batched); RSS after
     * the first and after all K, and items/s of each adapter paired against the base alone.
     */
    private static void sharedBase(String ref, LoadedModel base, Map<Family, List<Suite>> families, Plan plan)
            throws Exception {
        int k = plan.adapters();
        if (k < 1) {
            return;
        }
        List<Suite> all = families.values().stream().flatMap(List::stream).toList();
        EvalSettings settings = plan.settings(1, plan.batch());
        Map<String, long[]> tokens = new TreeMap<>();
        double rssBase = Rss.mibAfterGc();
        Tensors baseAlone = Tensors.of(base.model().weightsManager());
        List<AdapterSet> sets = new ArrayList<>();
        List<Double> rss = new ArrayList<>(); // after adapter 1, 2, ..., k was created and evaluated
        try {
            for (int i = 1; i <= k; i++) {
                sets.add(AdapterSet.create(base.model(), ADAPTER, i)); // seed i: a different adapter each time
                itemsPerSecond(base, AdapterProvider.eval(sets.get(i - 1)), settings, all, tokens, "warm-up");
                rss.add(Rss.mibAfterGc());
            }
            double rssOne = rss.get(0);
            double rssAll = rss.get(k - 1);
            Tensors baseWithAll = Tensors.of(base.model().weightsManager());
            AlternatingRounds r = new AlternatingRounds();
            r.add("base only", "items/s", () -> itemsPerSecond(base, AdapterProvider.NONE, settings, all, tokens, "base"));
            for (int i = 0; i < k; i++) {
                AdapterSet set = sets.get(i);
                r.add("adapter " + (i + 1), "items/s", () -> itemsPerSecond(base, AdapterProvider.eval(set), settings, all,
                        tokens, "adapter"));
            }
            System.out.printf("%n%s: %d MoELoRA adapter sets on one loaded base, greedy b%d over all suites%n",
                    BaseLoads.label(ref), k, plan.batch());
            r.run(plan.rounds(), false); // every case ran once above
            int loads = BaseLoads.count(ref);
            if (loads != 1) {
                throw new IllegalStateException("base " + ref + " was loaded " + loads + " times; expected exactly once");
            }
            double baseMib = weightBytes(base.model().config()) / MIB;
            System.out.printf("base loads: %d (asserted == 1) for %d adapters%n", loads, k);
            System.out.printf("tensors held by the base's manager: %s with the base alone, %s with %d adapters;"
                    + " each adapter set's own manager: %s%n", baseAlone, baseWithAll, k, Tensors.of(sets.get(0).manager()));
            System.out.printf("RSS: base alone, warm %.1f MiB; with 1 adapter %.1f MiB; with %d adapters %.1f MiB:"
                    + " %+.1f MiB per extra adapter (allocator noise is tens of MiB); a base copy per adapter would add"
                    + " >= %.1f MiB each (its fp32 weights)%n", rssBase, rssOne, k, rssAll,
                    k > 1 ? (rssAll - rssOne) / (k - 1) : 0.0, baseMib);
            System.out.printf("RSS after each adapter, MiB: %s; after the rounds: %.1f%n",
                    rss.stream().map(v -> String.format("%.1f", v)).toList(), Rss.mibAfterGc());
            for (int i = 1; i <= k; i++) {
                System.out.printf("adapter %d: %.2f items/s, %.2fx base only (paired)%n", i, r.median("adapter " + i),
                        r.pairedRatio("adapter " + i, "base only"));
            }
        } finally {
            sets.forEach(AdapterSet::close);
        }
    }

    /** Runs every suite once; items/s over all of them. Records {generated tokens, items} under {@code key}. */
    private static double itemsPerSecond(LoadedModel base, AdapterProvider adapters, EvalSettings settings,
            List<Suite> suites, Map<String, long[]> tokens, String key) {
        EvalRunner runner = new EvalRunner(base, adapters, settings);
        long items = 0;
        long generated = 0;
        double seconds = 0;
        for (Suite s : suites) {
            EvalRunner.SuiteRun run = runner.run(s, done -> { });
            items += settings.items(s.size());
            generated += run.generatedTokens();
            seconds += run.seconds();
        }
        tokens.put(key, new long[] {generated, items});
        return items / seconds;
    }

    /** Arrays a manager holds (its sub-managers' too) and their bytes; views count at full size. */
    private record Tensors(int arrays, long bytes) {
        static Tensors of(NDManager manager) {
            List<NDArray> held = manager.getManagedArrays();
            return new Tensors(held.size(), held.stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum());
        }

        @Override
        public String toString() {
            return String.format("%d arrays, %.2f MiB", arrays, bytes / MIB);
        }
    }

    /** fp32 bytes of the base's weights (embedding, layers, final norm, head unless tied). */
    private static long weightBytes(LlamaConfig c) {
        long d = c.dim();
        long q = (long) c.nHeads() * c.headDim();
        long kv = c.kvDim();
        long layer = 2 * d + d * q + 2 * d * kv + q * d + 3 * d * c.hiddenDim();
        long params = c.vocabSize() * d + c.nLayers() * layer + d + (c.tiedEmbeddings() ? 0 : c.vocabSize() * d);
        return 4 * params;
    }
}
