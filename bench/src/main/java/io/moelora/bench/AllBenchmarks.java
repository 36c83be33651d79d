package io.moelora.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench.sh all}: runs the sub-benchmarks one after another, each in a fresh JVM with this JVM's
 * options (libtorch threads, offline flag), so one benchmark's heap, native allocator pools and JIT
 * state cannot colour the next one's figures (the memory benchmark reads RSS). A failed benchmark is
 * reported and the rest still run; the exit status is non-zero when any failed.
 */
final class AllBenchmarks {

    /** Plots of a smoke run: its figures are not results. */
    static final String SMOKE_OUT = "bench/target/smoke-results";

    private AllBenchmarks() {}

    /** @param args {@code [--smoke] [--only NAME,...]} */
    static int run(List<BenchMain.Benchmark> all, String[] args) throws Exception {
        boolean smoke = false;
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--smoke")) {
                smoke = true;
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = Set.of(args[++i].split(","));
            } else {
                throw new IllegalArgumentException("all takes [--smoke] [--only NAME,...], got '" + args[i] + "'");
            }
        }
        Set<String> names = all.stream().map(BenchMain.Benchmark::name).collect(Collectors.toSet());
        if (only != null && !names.containsAll(only)) {
            throw new IllegalArgumentException("--only names unknown benchmarks; known: " + names);
        }
        Set<String> chosen = only;
        List<BenchMain.Benchmark> benchmarks = all.stream().filter(b -> chosen == null || chosen.contains(b.name()))
                .toList();
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        for (BenchMain.Benchmark b : benchmarks) {
            List<String> cmd = BenchMain.childJvm(smoke ? List.of("-Dmoelora.bench.out=" + SMOKE_OUT) : List.of(),
                    b.name(), smoke ? b.smokeArgs() : b.allArgs());
            System.out.printf("%n===== %s %s%n", b.name(), String.join(" ", smoke ? b.smokeArgs() : b.allArgs()));
            long s = System.nanoTime();
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            System.out.printf("===== %s: %s after %.0f s%n", b.name(), rc == 0 ? "done" : "FAILED (exit " + rc + ")",
                    (System.nanoTime() - s) / 1e9);
            if (rc != 0) {
                failed.add(b.name());
            }
        }
        System.out.printf("%nall benchmarks%s: %d run in %.0f s, failed: %s%n", smoke ? " (smoke)" : "",
                benchmarks.size(), (System.nanoTime() - start) / 1e9, failed.isEmpty() ? "none" : failed);
        return failed.isEmpty() ? 0 : 1;
    }
}
