package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moelora.events.Recipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline run whose final checkpoints this process cannot read: the report says so in its routing
 * section, run by run, instead of leaving the section out, and states the mode it ran in.
 */
class PipelineReportTest {

    @TempDir
    Path dir;

    @Test
    void anUnreadableCheckpointDirectoryIsStatedInTheRoutingSection() throws Exception {
        FinalCheckpointProbe probe = new FinalCheckpointProbe(null, dir.resolve("elsewhere"), Map.of());
        RecipeRun moe = recipe("moelora-4x2-top2");
        assertThatThrownBy(() -> probe.measure(moe, "job", "c".repeat(64)))
                .isInstanceOf(FinalCheckpointProbe.Unavailable.class)
                .hasMessageContaining("does not exist on this machine").hasMessageContaining("--checkpoints");
        Files.createDirectories(dir.resolve("store"));
        assertThatThrownBy(() -> new FinalCheckpointProbe(null, dir.resolve("store"), Map.of()).measure(moe, "job", "c"))
                .hasMessageContaining("checkpoint c of job job is not in");

        RecipeRun lora = recipe("lora-r8");
        ExperimentSetup setup = new ExperimentSetup("builtin:tiny", "synthetic", List.of("synthetic-choice"), 4, 8,
                List.of(1L), 2, 4, "greedy", 6, "./moelora experiment run ...", "a machine", "pipeline");
        List<RunResult> runs = List.of(run("lora-r8", 0), run("moelora-4x2-top2", 0.6));
        ExperimentResult result = new ExperimentResult(setup, List.of(new ExperimentResult.Recipe(lora, 19_520, 19_520),
                new ExperimentResult.Recipe(moe, 23_968, 19_520)), runs);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("pipeline", Map.of("gateway", "http://gateway:8080", "experiments", Map.of("cmp-s1", Map.of())));
        notes.put("routingUnavailable", Map.of("moelora-4x2-top2 seed 1", "the checkpoint directory /x does not exist"));

        String report = ExperimentReport.markdown(result, notes, true);
        assertThat(report).contains("| mode | pipeline: jobs on the stack behind the gateway at http://gateway:8080"
                + " (experiments cmp-s1");
        assertThat(report).contains("## Routing").contains("it was not measured")
                .contains("- moelora-4x2-top2 seed 1: the checkpoint directory /x does not exist")
                .containsPattern("\\| moelora-4x2-top2 \\| 4, top-2 \\| 0\\.600 \\(0\\.693\\) \\|");
        assertThat(report).doesNotContain("NaN");
        ReportPlots.write(result, dir);
        assertThat(dir.resolve(ReportPlots.GATE_ENTROPY)).exists();
        assertThat(dir.resolve(ReportPlots.routingFile("moelora-4x2-top2"))).doesNotExist();
    }

    private static RecipeRun recipe(String name) {
        return RecipeRun.of(name, Recipes.load(Recipes.find(Path.of("../recipes"), name), Map.of()));
    }

    private static RunResult run(String recipe, double gateEntropy) {
        List<RunResult.Step> steps = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            steps.add(new RunResult.Step(s, 2.0 - s * 0.1, 2.0 - s * 0.1, 0.1, 0.01, gateEntropy, false));
        }
        List<RunResult.Eval> evals = List.of(new RunResult.Eval(0, Map.of("synthetic-choice", 0.0)),
                new RunResult.Eval(2, Map.of("synthetic-choice", 25.0)), new RunResult.Eval(4, Map.of("synthetic-choice", 50.0)));
        return new RunResult(recipe, 1, List.of("a", "b"), steps, evals, List.of(), 1.0, 2.0);
    }
}
