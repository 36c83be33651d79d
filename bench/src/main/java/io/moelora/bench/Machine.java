package io.moelora.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The "machine:" line every benchmark prints first, so a figure always travels with its machine. */
final class Machine {

    private Machine() {}

    /** libtorch intra-op threads, as bench.sh sets them (DJL's default is the core count). */
    static int threads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    static String line() {
        return String.format("machine: %d cores (%s), Java %s, %s, %d libtorch threads, fp32, MKL dispatch %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("os.arch"), threads(), mklDispatch() ? "on" : "off");
    }

    /** Whether tools/mkl-dispatch's library is loaded in this process (MKL runs the CPU's own kernels). */
    static boolean mklDispatch() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libmoelora-mkl-dispatch.so");
        } catch (IOException e) {
            return false;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
