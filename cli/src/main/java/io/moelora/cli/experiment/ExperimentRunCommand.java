package io.moelora.cli.experiment;

import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.ItemSubset;
import io.moelora.core.eval.Suite;
import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SuiteLoader;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.io.BuiltinModels;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.events.Decoding;
import io.moelora.events.JobSpec;
import io.moelora.events.Recipes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora experiment run}: trains every recipe × seed in this process on the same example stream,
 * evaluates each run along the way and writes {@code report.md}, {@code results.json} and PNG plots.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run recipes × seeds in this process on the same examples and write DIR/report.md and DIR/results.json.")
final class ExperimentRunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--recipes", required = true, split = ",", description = "recipe names, e.g. lora-r8,moelora-4x2-top2")
    List<String> recipes;

    @Option(names = "--recipes-dir", defaultValue = "recipes", description = "where recipes are (default: ${DEFAULT-VALUE})")
    Path recipesDir;

    @Option(names = "--set", description = "key=value applied to every recipe, e.g. optimizer.lr=1e-3 (repeatable)")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--train", required = true,
            description = "synthetic[:suites] (built-in training split) or a JSON array / JSONL file of {instruction, input, output[, task]}")
    String train;

    @Option(names = "--suites", defaultValue = "synthetic", description = "evaluation suites or groups (default: ${DEFAULT-VALUE})")
    String suites;

    @Option(names = "--data-dir", description = "directory with <Suite>/test.json for suites read from files")
    Path dataDir;

    @Option(names = "--seeds", defaultValue = "3", description = "replicates per recipe, seeds 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--steps", required = true, description = "optimizer updates per run")
    int steps;

    @Option(names = "--eval-every", description = "evaluate every K updates (default: steps / 5); always at step 0 and at the end")
    Integer evalEvery;

    @Option(names = "--limit", description = "items per suite (default: the recipes' eval.limit; 0 = all)")
    Integer limit;

    @Option(names = "--probe-items", defaultValue = "32", description = "examples per task in the routing analysis (default: ${DEFAULT-VALUE})")
    int probeItems;

    @Option(names = "--model", description = "base model (default: the recipes' baseModel; paths resolve in the services' model directory)")
    String model;

    @Option(names = "--tokenizer", description = "tok*.bin for llama2.c models")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "directory for report.md, results.json and the plots")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (steps < 1 || seeds < 1 || probeItems < 1) {
            throw new IllegalArgumentException("--steps, --seeds and --probe-items must be >= 1");
        }
        int every = evalEvery != null ? evalEvery : Math.max(1, steps / 5);
        if (every < 1) {
            throw new IllegalArgumentException("--eval-every must be >= 1, got " + every);
        }
        List<RecipeRun> runs = new ArrayList<>();
        for (String name : new LinkedHashSet<>(recipes)) {
            runs.add(RecipeRun.of(name, Recipes.load(Recipes.find(recipesDir, name), sets)));
        }
        JobSpec first = runs.get(0).spec();
        int itemLimit = limit != null ? limit : first.eval().limit();
        EvalSettings settings = new EvalSettings(first.eval().decoding() == Decoding.GREEDY ? 1 : EvalSettings.REFERENCE_BEAMS,
                1.0, BeamSearch.LengthMode.GENERATED, itemLimit == 0 ? null : itemLimit, EvalSettings.DEFAULT_SEED,
                EvalSettings.DEFAULT_BATCH, null);
        List<SuiteSpec> specs = SuiteRegistry.standard().resolve(suites);
        ExampleStream stream = ExampleStream.parse(train);
        Path modelPath = modelPath(runs);
        List<Long> seedList = LongStream.rangeClosed(1, seeds).boxed().toList();
        ExperimentProgress progress = new ExperimentProgress(err, runs.size() * seeds, steps);
        List<RunResult> results;
        Map<String, Object> notes = new LinkedHashMap<>();
        try (LoadedModel base = ModelLoader.loadWithTokenizer(modelPath, tokenizer)) {
            List<Suite> loaded = new ArrayList<>();
            Map<String, List<InstructionExample>> probes = new LinkedHashMap<>();
            for (SuiteSpec s : specs) {
                loaded.add(SuiteLoader.load(dataDir, s));
                probes.put(s.name(), probeExamples(s));
            }
            notes.put("overlap", overlap(stream, seedList, steps * runs.get(0).batchSize(), loaded));
            notes.put("probeSkip", probeSkip(base, probes, first.batching().cutoff()));
            err.printf("%d recipes × %d seeds, %d updates of %d examples each, on %s; evaluating %s%n", runs.size(), seeds,
                    steps, runs.get(0).batchSize(), modelPath, specs.stream().map(SuiteSpec::name).toList());
            results = new ExperimentRunner(base, runs, stream, loaded, probes, settings, steps, every, seedList, progress).run();
            List<ExperimentResult.Recipe> counted = new ArrayList<>();
            for (RecipeRun r : runs) {
                try (AdapterSet adapters = AdapterSet.create(base.model(), r.adapter(), 0)) {
                    counted.add(new ExperimentResult.Recipe(r, adapters.trainableParameters(true),
                            adapters.trainableParameters(false)));
                }
            }
            ExperimentSetup setup = new ExperimentSetup(model != null ? model : first.baseModel(), train,
                    specs.stream().map(SuiteSpec::name).toList(), steps, runs.get(0).batchSize(), seedList, every,
                    settings.limit(), settings.decoding(), probeItems, commandLine(), Machine.describe());
            ExperimentResult result = new ExperimentResult(setup, counted, results);
            Files.createDirectories(out);
            ResultsJson.write(result, notes, out.resolve("results.json"));
            ReportPlots.write(result, out);
            Files.writeString(out.resolve("report.md"), ExperimentReport.markdown(result, notes, stream.synthetic()));
        }
        err.printf("report: %s%n", out.resolve("report.md"));
        spec.commandLine().getOut().println(out.resolve("report.md"));
        return 0;
    }

    /** The test items of a suite with their outputs (the routing probe reads question and answer tokens). */
    private List<InstructionExample> probeExamples(SuiteSpec s) {
        List<SuiteExample> all = s.builtin()
                ? SyntheticSuites.testExamples(s.name(), SyntheticSuites.DEFAULT_SEED, s.expectedItems())
                : SuiteLoader.readExamples(dataDir.resolve(s.directory()).resolve(SuiteLoader.TEST_FILE));
        List<InstructionExample> out = new ArrayList<>();
        for (int i : ItemSubset.choose(all.size(), probeItems, EvalSettings.DEFAULT_SEED)) {
            SuiteExample e = all.get(i);
            out.add(new InstructionExample(e.instruction(), e.input(), e.output().isEmpty() ? e.answer() : e.output()));
        }
        return out;
    }

    /** How many training examples of all seeds share an instruction with an evaluated test item (0 expected). */
    private static Map<String, Long> overlap(ExampleStream stream, List<Long> seeds, int count, List<Suite> suites) {
        Set<String> test = new HashSet<>();
        suites.forEach(s -> s.items().forEach(i -> test.add(i.instruction())));
        long shared = 0;
        long total = 0;
        for (long seed : seeds) {
            for (StreamExample e : stream.take(seed, count)) {
                total++;
                shared += test.contains(e.example().instruction()) ? 1 : 0;
            }
        }
        return Map.of("trainingExamples", total, "sharingAnInstructionWithATestItem", shared, "testItems", (long) test.size());
    }

    /** The template tokens the routing probe leaves out (see {@link RoutingProbe}). */
    private static int probeSkip(LoadedModel base, Map<String, List<InstructionExample>> probes, int cutoff) {
        ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), cutoff, true, base.model().config().eosId());
        return RoutingProbe.sharedPrefix(probes.values().stream().flatMap(List::stream).map(e -> encoder.encode(e).ids()).toList());
    }

    /** --model, else the recipes' common baseModel: built-in as is, a path inside the services' model directory. */
    private Path modelPath(List<RecipeRun> runs) {
        if (model != null) {
            return Path.of(model);
        }
        Set<String> bases = new LinkedHashSet<>();
        runs.forEach(r -> bases.add(r.spec().baseModel()));
        if (bases.size() != 1) {
            throw new IllegalArgumentException("the recipes name different base models " + bases + ": pass --model");
        }
        String ref = bases.iterator().next();
        if (BuiltinModels.isBuiltin(ref)) {
            return Path.of(ref);
        }
        String dir = System.getenv("MOELORA_MODEL_DIR");
        if (dir == null) {
            String state = System.getenv("MOELORA_STATE_DIR");
            dir = (state != null ? state : System.getProperty("user.home") + "/.local/state/moelora") + "/models";
        }
        Path p = Path.of(dir).resolve(ref);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("the recipes' base model '" + ref + "' is not in the model directory " + dir
                    + ": pass --model (e.g. builtin:tiny), or build the tiny base with ./moelora base --out " + p);
        }
        return p;
    }

    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("./moelora");
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:,=@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
