package io.moelora.cli;

import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Recipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where recipes live and the {@code --set} overrides applied to a spec, shared by the commands that
 * submit a job ({@code jobs create}, {@code submit}). A spec comes from {@code --file} (JSON, or YAML
 * for {@code .yaml}/{@code .yml}) or from {@code --recipe NAME} in {@code --recipes-dir}.
 */
final class RecipeOptions {

    @Option(names = "--recipes-dir", paramLabel = "DIR", defaultValue = "${env:MOELORA_RECIPES_DIR:-recipes}",
            description = "where --recipe looks for NAME.yaml, NAME.yml or NAME.json (default: $MOELORA_RECIPES_DIR,"
                    + " else ./recipes; ./moelora sets it to the repository's recipes/)")
    Path recipesDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a field by its dotted path, e.g."
            + " adapter.rank=4, optimizer.lr=1e-4, jobId=x, maxExamples=500, eval.suites=a,b, experiment=cmp1;"
            + " the value null removes a field (it takes its default); repeatable")
    Map<String, String> sets = new LinkedHashMap<>();

    /**
     * The spec of {@code recipe} or of {@code file}, with the overrides, validated. A JSON file
     * without overrides is returned as {@code null}: it is sent as it is, and whoever receives it
     * validates it (so unknown fields stay as lenient as on the topic).
     */
    JobSpec load(Path file, String recipe) {
        if (recipe != null) {
            return Recipes.load(Recipes.find(recipesDir, recipe), sets);
        }
        if (!yaml(file) && sets.isEmpty()) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file " + file);
        }
        return Recipes.load(file, sets);
    }

    /** The spec as the JSON that goes on the wire: {@code file}'s text when {@link #load} returned null. */
    String json(Path file, String recipe) throws java.io.IOException {
        JobSpec spec = load(file, recipe);
        return spec != null ? EventCodec.toJson(spec) : Files.readString(file);
    }

    static boolean yaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
