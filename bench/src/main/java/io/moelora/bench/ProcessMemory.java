package io.moelora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of another process, from {@code /proc/<pid>/status} (Linux). */
final class ProcessMemory {

    private ProcessMemory() {}

    /** VmRSS of {@code pid} in MiB. */
    static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0; // kB -> MiB
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
