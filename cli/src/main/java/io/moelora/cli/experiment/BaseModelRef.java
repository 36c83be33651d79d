package io.moelora.cli.experiment;

import io.moelora.core.io.BuiltinModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The base model of an experiment, twice: the path this process loads (for in-process training, the
 * routing probe and the parameter counts) and the reference the stack's jobs name (built-in, or a path
 * inside the services' model directory, which a job may not leave).
 *
 * @param local what {@code ModelLoader} opens here
 * @param reference what a job's {@code baseModel} says
 */
record BaseModelRef(Path local, String reference) {

    /**
     * {@code --model}, else the recipes' common {@code baseModel}. In pipeline mode a {@code --model} path must
     * lie inside the services' model directory; it is sent relative to it.
     */
    static BaseModelRef of(String model, List<RecipeRun> runs, boolean pipeline) {
        Path models = StackDirs.models().toAbsolutePath().normalize();
        if (model == null) {
            Set<String> bases = new LinkedHashSet<>();
            runs.forEach(r -> bases.add(r.spec().baseModel()));
            if (bases.size() != 1) {
                throw new IllegalArgumentException("the recipes name different base models " + bases + ": pass --model");
            }
            String ref = bases.iterator().next();
            if (BuiltinModels.isBuiltin(ref)) {
                return new BaseModelRef(Path.of(ref), ref);
            }
            Path p = models.resolve(ref);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("the recipes' base model '" + ref + "' is not in the model directory "
                        + models + ": pass --model (e.g. builtin:tiny), or build the tiny base with ./moelora base --out " + p);
            }
            return new BaseModelRef(p, ref);
        }
        if (BuiltinModels.isBuiltin(model) || !pipeline) {
            return new BaseModelRef(Path.of(model), model);
        }
        Path given = Path.of(model).toAbsolutePath().normalize();
        if (given.startsWith(models) && !given.equals(models) && Files.exists(given)) {
            return new BaseModelRef(given, models.relativize(given).toString().replace('\\', '/'));
        }
        if (!Path.of(model).isAbsolute() && Files.exists(models.resolve(model))) {
            return new BaseModelRef(models.resolve(model).normalize(), model);
        }
        throw new IllegalArgumentException("--model " + model + ": in pipeline mode the services load the base model"
                + " by reference, builtin:NAME or a path inside their model directory " + models
                + ", which has no such model; use --mode in-process, or put the model there");
    }
}
