package io.moelora.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process with captured output, and finds the shared models and suites. */
final class CliRun {

    /** Exit code and captured streams of one command. */
    record Result(int code, String out, String err) {}

    private CliRun() {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = MoeloraCli.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A path under the shared directory; the test is skipped with "needs ../shared" when it is absent. */
    static Path shared(String relative) {
        String root = System.getProperty("moelora.shared.dir", "../shared");
        Path p = Path.of(root).resolve(relative).toAbsolutePath().normalize();
        assumeTrue(Files.exists(p), () -> "needs ../shared: " + relative + " not found under " + root);
        return p;
    }
}
