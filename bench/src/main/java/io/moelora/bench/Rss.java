package io.moelora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process, read from /proc (Linux). */
final class Rss {

    private Rss() {}

    static long kb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /** After a full GC, so that the Java heap's garbage does not show as growth. */
    static double mibAfterGc() throws IOException {
        System.gc();
        return kb() / 1024.0;
    }
}
