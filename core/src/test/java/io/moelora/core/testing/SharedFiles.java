package io.moelora.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared models and suites that live beside the repository. Tests that need them are reported as
 * skipped with a reason starting "needs ../shared" when they are absent; CI fails on such a skip
 * whenever the directory exists.
 */
public final class SharedFiles {

    private SharedFiles() {}

    /** The shared directory (system property {@code moelora.shared.dir}, else {@code ../shared}). */
    public static Path root() {
        String configured = System.getProperty("moelora.shared.dir");
        return Path.of(configured != null ? configured : "../shared").toAbsolutePath().normalize();
    }

    /** Resolves {@code relative} under the shared directory, skipping the test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), () -> "needs ../shared: " + relative + " not found under " + root());
        return p;
    }
}
