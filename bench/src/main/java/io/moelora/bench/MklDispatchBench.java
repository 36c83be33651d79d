package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.runtime.DjlRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tools/mkl-dispatch} buys: fp32 matmul GFLOP/s of DJL's libtorch with MKL's generic kernels
 * (the library not preloaded) against MKL dispatching on the CPU's own instruction sets (preloaded), on
 * the shapes of a training step ({@link MatmulBench#shapes}) and of a decoding step (one projection for
 * 1, 8 and 32 rows). The preload only takes effect when a process starts, so every measurement is a
 * fresh child JVM; rounds alternate the two, and ratios are paired per round.
 */
final class MklDispatchBench {

    static final String USAGE = "mkl-dispatch [--dims 256,512] [--rounds 5] [--reps 10] [--out DIR]"
            + "   (bench.sh passes the library; on AMD x86-64 with a C compiler)";
    static final String PNG = "mkl-dispatch-gflops.png";
    private static final String CHILD = "--child";
    private static final String GENERIC = "generic kernels";
    private static final String DISPATCH = "CPU's own kernels";

    private MklDispatchBench() {}

    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        List<Integer> dims = o.integers("--dims", "256,512");
        int reps = o.integer("--reps", 10);
        if (o.has(CHILD)) {
            measureHere(dims, reps);
            return;
        }
        System.out.println(Machine.line());
        String lib = System.getenv("MOELORA_MKL_DISPATCH_LIB");
        if (lib == null || lib.isBlank()) {
            // not an error: on other CPUs (or with MOELORA_MKL_DISPATCH=off) there is nothing to compare
            System.out.println("mkl-dispatch: nothing to compare here: no MKL dispatch library (bench/bench.sh builds it"
                    + " on AMD x86-64 CPUs with a C compiler unless MOELORA_MKL_DISPATCH=off)");
            return;
        }
        int rounds = o.integer("--rounds", 5);
        Path out = Path.of(o.string("--out", BarChart.DEFAULT_OUT));
        System.out.printf("each figure: a fresh JVM, the fastest of %d products per shape; %d rounds alternating %s"
                + " and %s (%s preloaded)%n", reps, rounds, GENERIC, DISPATCH, lib);
        Map<String, List<Double>> generic = new LinkedHashMap<>();
        Map<String, List<Double>> own = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean genericFirst = round % 2 == 0;
            for (boolean preload : genericFirst ? new boolean[] {false, true} : new boolean[] {true, false}) {
                Map<String, Double> g = child(dims, reps, preload ? lib : null);
                g.forEach((shape, v) -> (preload ? own : generic).computeIfAbsent(shape, k -> new ArrayList<>()).add(v));
                System.out.printf("  round %d  %-18s %s%n", round + 1, preload ? DISPATCH : GENERIC, g);
            }
        }
        BarChart chart = new BarChart("fp32 matmul, DJL libtorch: MKL's generic vs the CPU's own kernels",
                "matmul [m, k] x [k, n]", "GFLOP/s");
        System.out.printf("%n%-30s %16s %18s %18s%n", "matmul", GENERIC, DISPATCH, "ratio (paired)");
        for (String shape : generic.keySet()) {
            double a = Stats.median(generic.get(shape));
            double b = Stats.median(own.get(shape));
            System.out.printf("%-30s %16.1f %18.1f %17.2fx%n", shape, a, b,
                    Stats.pairedRatio(own.get(shape), generic.get(shape)));
            chart.add(GENERIC, shape, a).add(DISPATCH, shape, b);
        }
        chart.write(out, PNG);
    }

    /** One child JVM's figures, shape to GFLOP/s; {@code lib} preloaded unless null. */
    private static Map<String, Double> child(List<Integer> dims, int reps, String lib) throws Exception {
        List<String> cmd = BenchMain.childJvm(List.of(), "mkl-dispatch", List.of(CHILD,
                "--dims", String.join(",", dims.stream().map(String::valueOf).toList()), "--reps", "" + reps));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (lib == null) {
            pb.environment().remove("LD_PRELOAD");
        } else {
            pb.environment().put("LD_PRELOAD", lib);
        }
        Process p = pb.start();
        Map<String, Double> figures = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.append(line).append('\n');
                String[] f = line.split("\t");
                if (f.length == 3 && f[0].equals("gflops")) {
                    figures.put(f[1], Double.parseDouble(f[2]));
                }
            }
        }
        if (p.waitFor() != 0 || figures.isEmpty()) {
            throw new IllegalStateException("matmul child failed (exit " + p.exitValue() + "):\n" + log);
        }
        return figures;
    }

    /** The child: prints {@code gflops<TAB>shape<TAB>value} per shape. */
    private static void measureHere(List<Integer> dims, int reps) {
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            for (int dim : dims) {
                ModelShape s = ModelShape.llama(dim);
                List<MatmulBench.Matmul> all = new ArrayList<>(
                        MatmulBench.shapes(s, AdapterBench.BATCH * AdapterBench.SEQ));
                for (int rows : new int[] {1, 8, 32}) {
                    all.add(new MatmulBench.Matmul("d" + dim + " decode q, " + rows + " row" + (rows > 1 ? "s" : ""),
                            rows, dim, dim));
                }
                // a fresh JVM's first products run while its start-up threads (JIT, GC) still compete for
                // the cores: one untimed pass over the shapes first
                for (MatmulBench.Matmul mm : all) {
                    MatmulBench.gflops(m, mm, 2);
                }
                for (MatmulBench.Matmul mm : all) {
                    System.out.printf("gflops\t%s\t%.2f%n", mm.name(), MatmulBench.gflops(m, mm, reps));
                }
            }
        }
    }
}
