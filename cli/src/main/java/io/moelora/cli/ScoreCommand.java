package io.moelora.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.eval.GenerationsFile;
import io.moelora.core.eval.ItemScore;
import io.moelora.core.eval.Scorer;
import io.moelora.core.eval.Suite;
import io.moelora.core.eval.SuiteLoader;
import io.moelora.core.eval.SuiteRegistry;
import io.moelora.core.eval.SuiteScore;
import io.moelora.core.eval.SuiteSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora score}: scores generated responses against an LLM-Adapters test file with the
 * reference protocol (docs/PROTOCOL.md), so a number printed here compares with published ones.
 * Prints one JSON object on stdout; bad input is one "error:" line and exit code 2.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score generated responses against a suite's test file (LLM-Adapters protocol); prints one JSON object.")
final class ScoreCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", required = true, description = "suite name, any case (e.g. gsm8k, ARC-Easy, boolq)")
    String suite;

    @Option(names = "--test", required = true, description = "the suite's test.json (or a file in the same format)")
    Path test;

    @Option(names = "--predictions", required = true,
            description = "JSON Lines, one {\"index\": i, \"response\": \"raw generated text\"} per item; i is 0-based"
                    + " into the test file; the text after the first \"### Response:\" is scored")
    Path predictions;

    @Option(names = "--extractor",
            description = "extractor (default: the suite's reference one); e.g. numeric-strict, aqua-fixed")
    String extractor;

    @Override
    public Integer call() throws JsonProcessingException {
        SuiteSpec suiteSpec = SuiteRegistry.standard().get(suite);
        Suite loaded = SuiteLoader.loadFile(suiteSpec, test);
        String chosen = extractor == null ? suiteSpec.extractor().name() : extractor;
        SuiteScore score = Scorer.score(loaded, GenerationsFile.read(predictions), chosen);
        spec.commandLine().getOut().println(JSON.writeValueAsString(toJson(score)));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static ObjectNode toJson(SuiteScore score) {
        ObjectNode out = JSON.createObjectNode();
        out.put("suite", score.suite());
        out.put("n", score.n());
        out.put("correct", score.correct());
        out.put("accuracy", score.accuracy());
        ArrayNode items = out.putArray("items");
        for (ItemScore item : score.items()) {
            items.addObject().put("index", item.index()).put("prediction", item.prediction()).put("correct", item.correct());
        }
        return out;
    }
}
