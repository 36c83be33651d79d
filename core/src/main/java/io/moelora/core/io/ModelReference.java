package io.moelora.core.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a job's {@code baseModel}: a built-in model ({@code builtin:tiny}) or a path inside the
 * configured model directory. Anything that escapes the directory or does not exist is refused with
 * a reason, before any file is opened.
 */
public final class ModelReference {

    private ModelReference() {}

    /** The path to load ({@code builtin:...} references come back as they are). */
    public static Path resolve(String reference, Path modelDir) {
        if (BuiltinModels.isBuiltin(reference)) {
            if (!reference.equals(BuiltinModels.TINY)) {
                throw new IllegalArgumentException("unknown built-in model '" + reference + "', expected " + BuiltinModels.TINY);
            }
            return Path.of(reference);
        }
        Path root = modelDir.toAbsolutePath().normalize();
        Path path = root.resolve(reference).normalize();
        if (Path.of(reference).isAbsolute() || !path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("baseModel '" + reference + "' must name a model inside the model directory");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("baseModel '" + reference + "' not found in the model directory");
        }
        return path;
    }
}
