package io.moelora.cli.experiment;

import java.nio.file.Path;

/**
 * The directories the embedded stack's services use, found as {@code ./moelora up} sets them: the state
 * directory is {@code $MOELORA_STATE_DIR}, else {@code $XDG_STATE_HOME/moelora}, else
 * {@code ~/.local/state/moelora}; the services' own variables override their part of it.
 */
final class StackDirs {

    private StackDirs() {}

    /** Where jobs' {@code baseModel} paths resolve ({@code $MOELORA_MODEL_DIR}, else {@code <state>/models}). */
    static Path models() {
        return env("MOELORA_MODEL_DIR", state().resolve("models"));
    }

    /** The checkpoint store ({@code $MOELORA_CHECKPOINT_DIR}, else {@code <state>/checkpoints}). */
    static Path checkpoints() {
        return env("MOELORA_CHECKPOINT_DIR", state().resolve("checkpoints"));
    }

    private static Path state() {
        String state = System.getenv("MOELORA_STATE_DIR");
        if (state != null && !state.isBlank()) {
            return Path.of(state);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state"))
                .resolve("moelora");
    }

    private static Path env(String name, Path otherwise) {
        String v = System.getenv(name);
        return v != null && !v.isBlank() ? Path.of(v) : otherwise;
    }
}
