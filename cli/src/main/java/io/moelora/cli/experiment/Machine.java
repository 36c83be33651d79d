package io.moelora.cli.experiment;

import io.moelora.core.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One line saying what the experiment ran on, so timings in a report can be read against it. */
final class Machine {

    private Machine() {}

    static String describe() {
        String threads = System.getenv("MOELORA_TORCH_THREADS");
        return String.format("%s, %d cores, %s (%s), Java %s, DJL %s on %s%s", cpu(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), DjlRuntime.engine().getEngineName(),
                DjlRuntime.engine().defaultDevice(), threads == null ? "" : ", " + threads + " libtorch threads");
    }

    /** The processor's model name where the system tells it (Linux), else "unknown processor". */
    private static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the rest of the line still says what ran
        }
        return "unknown processor";
    }
}
