package io.moelora.cli.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.adapter.AdapterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** {@code results.json}: every raw number of an experiment, for other tools and for the test. */
final class ResultsJson {

    private ResultsJson() {}

    static void write(ExperimentResult result, Map<String, Object> notes, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.set("setup", json.valueToTree(result.setup()));
        root.set("notes", json.valueToTree(notes));
        ArrayNode recipes = root.putArray("recipes");
        for (ExperimentResult.Recipe r : result.recipes()) {
            AdapterConfig c = r.run().adapter();
            ObjectNode n = recipes.addObject();
            n.put("name", r.name());
            n.put("description", r.run().describe());
            n.set("adapter", json.valueToTree(c));
            n.set("spec", json.readTree(io.moelora.events.EventCodec.toJson(r.run().spec())));
            n.put("trainableParameters", r.withRouters());
            n.put("trainableParametersWithoutRouters", r.withoutRouters());
        }
        ArrayNode runs = root.putArray("runs");
        for (RunResult run : result.runs()) {
            ObjectNode n = runs.addObject();
            n.put("recipe", run.recipe());
            n.put("seed", run.seed());
            n.put("trainSeconds", run.trainSeconds());
            n.put("evalSeconds", run.evalSeconds());
            ArrayNode steps = n.putArray("steps");
            for (RunResult.Step s : run.steps()) {
                steps.addObject().put("step", s.step()).put("loss", s.loss()).put("lmLoss", s.lmLoss())
                        .put("contrastiveLoss", s.contrastiveLoss()).put("balanceLoss", s.balanceLoss())
                        .put("gateEntropy", s.gateEntropy()).put("skipped", s.skipped());
            }
            ArrayNode evals = n.putArray("evals");
            for (RunResult.Eval e : run.evals()) {
                ObjectNode en = evals.addObject().put("step", e.step()).put("average", e.average());
                en.set("accuracy", json.valueToTree(e.accuracy()));
            }
            ArrayNode routing = n.putArray("routing");
            for (ModuleRouting m : run.routing()) {
                ObjectNode mn = routing.addObject().put("module", m.key()).put("loadEntropy", m.loadEntropy())
                        .put("taskInformation", m.taskInformation()).put("gateEntropy", m.meanGateEntropy());
                mn.set("top1", json.valueToTree(m.top1()));
                mn.set("gateEntropyByTask", json.valueToTree(m.gateEntropy()));
            }
            n.set("exampleIds", json.valueToTree(run.exampleIds()));
        }
        json.writeValue(file.toFile(), root);
    }
}
