package io.moelora.cli.experiment;

import java.util.List;

/**
 * Everything an experiment measured.
 *
 * @param setup how it ran
 * @param recipes the recipes in command-line order, with their parameter counts
 * @param runs one per recipe × seed, seed-major
 */
record ExperimentResult(ExperimentSetup setup, List<Recipe> recipes, List<RunResult> runs) {

    /**
     * A recipe with its trainable parameters.
     *
     * @param withRouters every trainable scalar
     * @param withoutRouters without the routers' N · d_in per module (the LoRA-equivalent count)
     */
    record Recipe(RecipeRun run, long withRouters, long withoutRouters) {

        String name() {
            return run.name();
        }
    }

    /** The runs of one recipe, in seed order. */
    List<RunResult> runsOf(String recipe) {
        return runs.stream().filter(r -> r.recipe().equals(recipe)).toList();
    }
}
