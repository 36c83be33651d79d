package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.cli.MoeloraCli;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short experiment end to end: the project's three comparison recipes on the built-in tiny model and
 * the synthetic tasks, 2 seeds, a few updates; the report has every section filled, the plots are PNGs,
 * results.json parses, and every recipe of a seed trained on exactly the same examples in the same order.
 */
class ExperimentRunCommandTest {

    private static final List<String> RECIPES = List.of("lora-r8", "moelora-4x2-top2", "moelora-4x2-top2-nocl");
    private static final int STEPS = 4;

    @TempDir
    Path dir;

    @Test
    void runsRecipesSideBySideAndWritesTheReport() throws Exception {
        Path out = dir.resolve("exp");
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        CommandLine cli = MoeloraCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(stdout, true));
        // In-process on purpose: with the default (auto) a stack running on this machine would take the runs.
        int code = cli.execute("experiment", "run", "--mode", "in-process", "--recipes", String.join(",", RECIPES),
                "--recipes-dir", "../recipes",
                "--model", "builtin:tiny", "--train", "synthetic", "--suites", "synthetic", "--seeds", "2",
                "--steps", String.valueOf(STEPS), "--eval-every", "2", "--limit", "4", "--probe-items", "6",
                "--out", out.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("[run 6/6 moelora-4x2-top2-nocl seed 2] step 4/4").contains("ETA");

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode runs = results.get("runs");
        assertThat(runs).hasSize(RECIPES.size() * 2);
        int batch = results.get("setup").get("batch").asInt();
        Map<Long, List<String>> idsBySeed = new HashMap<>();
        for (JsonNode run : runs) {
            List<String> ids = new ArrayList<>();
            run.get("exampleIds").forEach(id -> ids.add(id.asText()));
            assertThat(ids).hasSize(STEPS * batch);
            List<String> first = idsBySeed.putIfAbsent(run.get("seed").asLong(), ids);
            if (first != null) {
                assertThat(ids).as("examples of %s, seed %s", run.get("recipe"), run.get("seed")).isEqualTo(first);
            }
            assertThat(run.get("steps")).hasSize(STEPS);
            assertThat(run.get("evals")).extracting(e -> e.get("step").asInt()).containsExactly(0, 2, 4);
            boolean routed = !run.get("recipe").asText().equals("lora-r8");
            assertThat(run.get("routing").isEmpty()).isEqualTo(!routed);
            for (JsonNode module : run.get("routing")) {
                module.get("top1").forEach(counts -> {
                    long tokens = 0;
                    for (JsonNode c : counts) {
                        tokens += c.asLong();
                    }
                    assertThat(tokens).as("tokens counted in %s", module.get("module")).isPositive();
                });
            }
        }
        // the stream depends on the seed: the two replicates saw different data
        assertThat(idsBySeed.get(1L)).isNotEqualTo(idsBySeed.get(2L));
        assertThat(results.get("notes").get("overlap").get("sharingAnInstructionWithATestItem").asLong()).isZero();

        JsonNode recipes = results.get("recipes");
        long lora = recipes.get(0).get("trainableParameters").asLong();
        assertThat(recipes.get(1).get("trainableParametersWithoutRouters").asLong()).isEqualTo(lora);
        assertThat(recipes.get(1).get("trainableParameters").asLong()).isGreaterThan(lora);

        String report = Files.readString(out.resolve("report.md"));
        assertThat(results.get("setup").get("mode").asText()).isEqualTo("in-process");
        assertThat(report).contains("| mode | in-process: ");
        assertThat(report).contains("## Trainable parameters", "## Accuracy at the last step", "## Curves", "## Routing",
                "## Reading", "## Per-seed results", "./moelora experiment run --mode in-process --recipes");
        assertThat(report).containsPattern("\\| moelora-4x2-top2 \\| [0-9.]+ ± [0-9.]+ \\| [0-9.]+ ± [0-9.]+ \\| [0-9.]+ ± [0-9.]+ \\|");
        assertThat(report).containsPattern("\\| 0\\.q_proj \\| synthetic-addsub \\| [0-9. ]+ \\| [0-9.]+ \\|");
        assertThat(report).contains("With the contrastive loss (moelora-4x2-top2) vs without (moelora-4x2-top2-nocl)");
        assertThat(report).doesNotContain("NaN");
        for (String png : List.of("loss.png", "accuracy.png", "gate-entropy.png", "routing-moelora-4x2-top2.png",
                "routing-moelora-4x2-top2-nocl.png")) {
            assertThat(report).contains("(" + png + ")");
            byte[] bytes = Files.readAllBytes(out.resolve(png));
            assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertThat(image.getWidth()).isGreaterThan(300);
        }
        assertThat(out.resolve("routing-lora-r8.png")).doesNotExist();
        assertThat(stdout.toString().strip()).isEqualTo(out.resolve("report.md").toString());
    }

    @Test
    void autoTrainsInProcessWhenNoGatewayAnswers() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path out = dir.resolve("auto");
        StringWriter err = new StringWriter();
        CommandLine cli = MoeloraCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("experiment", "run", "--gateway", "http://127.0.0.1:" + closed, "--recipes", "lora-r8",
                "--recipes-dir", "../recipes", "--model", "builtin:tiny", "--train", "synthetic", "--suites",
                "synthetic-choice", "--seeds", "1", "--steps", "1", "--limit", "1", "--probe-items", "1",
                "--out", out.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("mode: in-process (no gateway answers ready at http://127.0.0.1:" + closed);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.get("setup").get("mode").asText()).isEqualTo("in-process");
        assertThat(results.get("runs").get(0).get("evals")).extracting(e -> e.get("step").asInt()).containsExactly(0, 1);
    }
}
