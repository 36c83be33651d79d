package io.moelora.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.checkpoint.CheckpointReader;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.eval.Aggregates;
import io.moelora.core.eval.EvalProtocol;
import io.moelora.core.eval.EvalRunner;
import io.moelora.core.eval.EvalSettings;
import io.moelora.core.eval.ItemScore;
import io.moelora.core.eval.Suite;
import io.moelora.core.eval.SuiteLoader;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteScore;
import io.moelora.core.eval.SuiteSpec;
import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.io.LoadedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora eval}: generate and score suites under the LLM-Adapters protocol. results.json holds
 * the settings, per-suite scores for every extractor (reference first), per-item audit records and the
 * averages; it contains no timings, so two runs with the same seed are byte-identical.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model (and adapter) on the suites.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--adapter", description = "adapter checkpoint directory (default: the base model alone)")
    Path adapter;

    @Option(names = "--suites", required = true, description = "names or groups: gsm8k,boolq | math | commonsense | all | synthetic")
    String suites;

    @Option(names = "--data-dir", description = "directory with <Suite>/test.json (LLM-Adapters layout)")
    Path dataDir;

    @Option(names = "--limit", description = "a seeded fixed subset of N items per suite")
    Integer limit;

    @Option(names = "--seed", defaultValue = "" + EvalSettings.DEFAULT_SEED, description = "selects the --limit subset (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--beams", defaultValue = "" + EvalSettings.REFERENCE_BEAMS, description = "beam width (reference: ${DEFAULT-VALUE})")
    int beams;

    @Option(names = "--greedy", description = "greedy decoding (the fast variant; same as --beams 1)")
    boolean greedy;

    @Option(names = "--batch", defaultValue = "" + EvalSettings.DEFAULT_BATCH, description = "prompts per greedy batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--max-new-tokens", description = "override the suite budget (256 math, 32 commonsense)")
    Integer maxNewTokens;

    @Option(names = "--length-penalty", defaultValue = "1.0")
    double lengthPenalty;

    @Option(names = "--length-mode", defaultValue = "GENERATED", description = "GENERATED or PROMPT_AND_GENERATED")
    BeamSearch.LengthMode lengthMode;

    @Option(names = "--out", required = true, description = "results.json to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        EvalSettings settings = new EvalSettings(greedy ? 1 : beams, lengthPenalty, lengthMode, limit, seed, batch, maxNewTokens);
        List<SuiteSpec> specs = SuiteRegistry.standard().resolve(suites);
        for (SuiteSpec s : specs) {
            if (!s.builtin() && dataDir == null) {
                throw new IllegalArgumentException("suite " + s.name() + " is read from files: pass --data-dir");
            }
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("protocolVersion", EvalProtocol.VERSION);
        ObjectNode s = root.putObject("settings");
        s.put("decoding", settings.decoding());
        s.put("beams", settings.beams());
        s.put("lengthPenalty", settings.lengthPenalty());
        s.put("lengthMode", settings.lengthMode().name());
        s.put("batch", settings.batch());
        s.put("seed", seed);
        if (limit != null) {
            s.put("limit", limit);
        }
        if (maxNewTokens != null) {
            s.put("maxNewTokens", maxNewTokens);
        }
        s.put("model", model.model.getFileName().toString());
        s.put("modelSha256", Digests.of(model.model));
        List<SuiteScore> reference = new ArrayList<>();
        ArrayNode results = root.putArray("suites");
        try (LoadedModel base = model.loadWithTokenizer();
                LoadedCheckpoint ckpt = adapter == null ? null : CheckpointReader.read(adapter, base.model())) {
            if (ckpt != null) {
                s.put("adapter", adapter.getFileName().toString());
                s.put("adapterDigest", ckpt.manifest().digest());
            }
            EvalRunner runner = new EvalRunner(base, ckpt == null ? AdapterProvider.NONE : AdapterProvider.eval(ckpt.adapters()), settings);
            for (SuiteSpec suiteSpec : specs) {
                Suite suite = SuiteLoader.load(dataDir, suiteSpec);
                int n = settings.items(suite.size());
                EvalRunner.SuiteRun run = runner.run(suite, done -> progress(err, suiteSpec.name(), done, n));
                SuiteScore ref = run.scores().get(0);
                reference.add(ref);
                err.printf("%n%s: %.2f %% (%d/%d, %s), %d tokens in %.1f s (%.2f items/s, %.1f tokens/s)%n", ref.suite(),
                        ref.accuracy(), ref.correct(), ref.n(), ref.extractor(), run.generatedTokens(), run.seconds(),
                        n / run.seconds(), run.generatedTokens() / run.seconds());
                results.add(suiteNode(json, suiteSpec, run));
            }
        }
        Aggregates a = Aggregates.of(reference);
        ObjectNode agg = root.putObject("averages");
        putNullable(agg, "math", a.mathAverage());
        putNullable(agg, "commonsense", a.commonsenseAverage());
        putNullable(agg, "overall", a.overallAverage());
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        json.writeValue(out.toFile(), root);
        spec.commandLine().getOut().println(json.writeValueAsString(agg));
        return 0;
    }

    private static ObjectNode suiteNode(ObjectMapper json, SuiteSpec spec, EvalRunner.SuiteRun run) {
        ObjectNode node = json.createObjectNode();
        SuiteScore ref = run.scores().get(0);
        node.put("suite", spec.name());
        node.put("family", spec.family().name().toLowerCase());
        node.put("suiteVersion", spec.version());
        if (spec.caveat() != null) {
            node.put("caveat", spec.caveat());
        }
        node.put("n", ref.n());
        ArrayNode scores = node.putArray("scores");
        for (SuiteScore sc : run.scores()) {
            scores.addObject().put("extractor", sc.extractor()).put("correct", sc.correct()).put("accuracy", sc.accuracy());
        }
        ArrayNode items = node.putArray("items");
        for (ItemScore i : ref.items()) {
            items.addObject().put("index", i.index()).put("response", i.response()).put("prediction", i.prediction())
                    .put("gold", i.gold()).put("correct", i.correct());
        }
        return node;
    }

    private static void putNullable(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void progress(PrintWriter err, String suite, int done, int total) {
        int width = 20;
        int filled = total == 0 ? width : width * done / total;
        err.printf("\r%-14s [%s%s] %d/%d", suite, "#".repeat(filled), ".".repeat(width - filled), done, total);
        err.flush();
    }
}
