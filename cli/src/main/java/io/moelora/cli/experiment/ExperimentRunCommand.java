package io.moelora.cli.experiment;

import io.moelora.cli.GatewayClient;
import io.moelora.cli.GatewayOptions;
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
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.events.Decoding;
import io.moelora.events.EvalSpec;
import io.moelora.events.JobSpec;
import io.moelora.events.Recipes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora experiment run}: trains every recipe × seed on the same example stream, through the
 * pipeline of a running stack ({@link PipelineExperiment}) or in this process ({@link ExperimentRunner}),
 * evaluates each run along the way and writes {@code report.md}, {@code results.json} and PNG plots.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run recipes × seeds on the same examples, through the pipeline when a stack is up or in this"
                + " process otherwise, and write DIR/report.md and DIR/results.json.",
                "Exit codes: 2 invalid options or a job failed, 4 --timeout ran out, 5 no or a wrong token,"
                        + " 6 the gateway is unreachable or failed."})
final class ExperimentRunCommand implements Callable<Integer> {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--mode", defaultValue = "auto", converter = ExperimentMode.Converter.class,
            description = "auto: through the pipeline when the gateway answers ready within 2 s, else in this process;"
                    + " pipeline; in-process (default: ${DEFAULT-VALUE})")
    ExperimentMode mode;

    @Option(names = "--name", description = "pipeline mode: experiments are NAME-s<seed>, jobs NAME-s<seed>-<recipe>"
            + " (default: the --out directory's name and the time, e.g. cmp-20260101-120000)")
    String name;

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "pipeline mode: the stack's checkpoint directory,"
            + " read for the routing analysis (default: $MOELORA_CHECKPOINT_DIR, else the embedded stack's"
            + " <state>/checkpoints)")
    Path checkpoints;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "pipeline mode: give up after this long (exit 4;"
            + " the jobs stay on the stack); default: no limit")
    Integer timeout;

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

    @Option(names = "--model", description = "base model (default: the recipes' baseModel; paths resolve in the services'"
            + " model directory); in pipeline mode builtin:NAME or a model inside that directory")
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
        if (timeout != null && timeout < 1) {
            throw new IllegalArgumentException("--timeout must be >= 1 second, got " + timeout);
        }
        List<RecipeRun> runs = new ArrayList<>();
        for (String name : new LinkedHashSet<>(recipes)) {
            runs.add(RecipeRun.of(name, Recipes.load(Recipes.find(recipesDir, name), sets)));
        }
        int batch = RecipeRun.commonBatchSize(runs);
        JobSpec first = runs.get(0).spec();
        int itemLimit = limit != null ? limit : first.eval().limit();
        EvalSettings settings = new EvalSettings(first.eval().decoding() == Decoding.GREEDY ? 1 : EvalSettings.REFERENCE_BEAMS,
                1.0, BeamSearch.LengthMode.GENERATED, itemLimit == 0 ? null : itemLimit, EvalSettings.DEFAULT_SEED,
                EvalSettings.DEFAULT_BATCH, null);
        List<SuiteSpec> specs = SuiteRegistry.standard().resolve(suites);
        List<String> suiteNames = specs.stream().map(SuiteSpec::name).toList();
        ExampleStream stream = ExampleStream.parse(train);
        List<Long> seedList = LongStream.rangeClosed(1, seeds).boxed().toList();
        ExperimentMode resolved = mode.resolve(gateway.client(), err);
        boolean pipeline = resolved == ExperimentMode.PIPELINE;
        String experimentName = pipeline ? experimentName() : null;
        BaseModelRef baseModel = BaseModelRef.of(model, runs, pipeline);
        ExperimentProgress progress = new ExperimentProgress(err, runs.size() * seeds, steps);
        Map<String, Object> notes = new LinkedHashMap<>();
        try (LoadedModel base = ModelLoader.loadWithTokenizer(baseModel.local(), tokenizer)) {
            List<Suite> loaded = new ArrayList<>();
            Map<String, List<InstructionExample>> probes = new LinkedHashMap<>();
            for (SuiteSpec s : specs) {
                loaded.add(SuiteLoader.load(dataDir, s));
                probes.put(s.name(), probeExamples(s));
            }
            notes.put("overlap", overlap(stream, seedList, steps * batch, loaded));
            notes.put("probeSkip", probeSkip(base, probes, first.batching().cutoff()));
            List<ExperimentResult.Recipe> counted = new ArrayList<>();
            for (RecipeRun r : runs) {
                try (AdapterSet adapters = AdapterSet.create(base.model(), r.adapter(), 0)) {
                    counted.add(new ExperimentResult.Recipe(r, adapters.trainableParameters(true),
                            adapters.trainableParameters(false)));
                }
            }
            err.printf("%d recipes × %d seeds, %d updates of %d examples each, on %s; evaluating %s%n", runs.size(), seeds,
                    steps, batch, pipeline ? baseModel.reference() + " (the stack's)" : baseModel.local(), suiteNames);
            List<RunResult> results;
            if (pipeline) {
                PipelineExperiment.Plan plan = new PipelineExperiment.Plan(experimentName, baseModel.reference(),
                        new EvalSpec(suiteNames, itemLimit, first.eval().decoding()), steps, every, seedList,
                        timeout == null ? null : Duration.ofSeconds(timeout));
                FinalCheckpointProbe probe = new FinalCheckpointProbe(base,
                        checkpoints != null ? checkpoints : StackDirs.checkpoints(), probes);
                PipelineExperiment.Outcome outcome;
                try {
                    outcome = new PipelineExperiment(new GatewayJobs(gateway.client()), plan, counted, stream, probe,
                            progress, err).run();
                } catch (PipelineFailure e) {
                    err.println("error: " + e.getMessage());
                    return e.exitCode();
                }
                results = outcome.runs();
                notes.putAll(outcome.notes());
            } else {
                results = new ExperimentRunner(base, runs, stream, loaded, probes, settings, steps, every, seedList,
                        progress).run();
            }
            ExperimentSetup setup = new ExperimentSetup(model != null ? model : first.baseModel(), train, suiteNames, steps,
                    batch, seedList, every, settings.limit(), settings.decoding(), probeItems, commandLine(),
                    Machine.describe(), resolved.option());
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

    /** {@code --name}, else the out directory's name and the time: a fresh name, so no job is reused. */
    private String experimentName() {
        String n = name;
        if (n == null) {
            Path leaf = out.toAbsolutePath().normalize().getFileName();
            String dir = leaf == null ? "experiment" : leaf.toString().replaceAll("[^A-Za-z0-9._-]", "-");
            n = dir + "-" + LocalDateTime.now().format(NAME_TIME);
        }
        // The longest recipe name must still fit a job id: <name>-s<seed>-<recipe>.
        String longest = recipes.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
        GatewayClient.id("--name (in job id " + n + "-s" + seeds + "-" + longest + ")", n + "-s" + seeds + "-" + longest);
        return n;
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

    /** The command as the report records it; the gateway token is a secret, so its value is left out. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("./moelora");
        boolean secret = false;
        for (String a : args) {
            String shown = secret ? "***" : a.startsWith("--token=") ? "--token=***" : a;
            secret = a.equals("--token");
            sb.append(' ').append(shown.matches("[A-Za-z0-9_./:,=@+-]+") ? shown : "'" + shown.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
