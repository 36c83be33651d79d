package io.moelora.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's limit: fp32 matmul GFLOP/s of DJL's libtorch, with the thread count the benchmarks run
 * with, on the shapes of one training step of {@link AdapterBench} at width d ({@code n = batch*seq}
 * tokens): {@code [n, d] x [d, d]} (q, k, v, o), {@code [n, d] x [d, f]} (gate, up), {@code [n, f] x [f, d]}
 * (down), {@code [n, d] x [d, V]} (lm_head). The right operand is a transposed {@code (out, in)} weight, as
 * {@code Linear} multiplies. The best of a width's shapes is the peak that MFU divides by: the most this
 * machine does on the matmuls the model actually has.
 */
final class MatmulBench {

    /** {@code [m, k] x [k, n]}. */
    record Matmul(String name, int m, int k, int n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    private MatmulBench() {}

    /** {@code bench.sh matmul [--dims 256,512] [--rounds 3] [--reps 10]}. */
    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        List<Integer> dims = o.integers("--dims", "256,512");
        int rounds = o.integer("--rounds", 3);
        int reps = o.integer("--reps", 10);
        System.out.println(Machine.line());
        System.out.printf("tokens per matmul n = batch %d x seq %d; the fastest of %d products per round,"
                + " median over %d rounds%n", AdapterBench.BATCH, AdapterBench.SEQ, reps, rounds);
        AlternatingRounds r = new AlternatingRounds();
        List<Matmul> all = new ArrayList<>();
        try (NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            for (int dim : dims) {
                for (Matmul mm : shapes(ModelShape.llama(dim), AdapterBench.BATCH * AdapterBench.SEQ)) {
                    all.add(mm);
                    r.add(mm.name(), "GFLOP/s", () -> gflops(m, mm, reps));
                }
            }
            r.run(rounds, true);
        }
        System.out.printf("%n%-26s %22s %12s%n", "matmul", "[m, k] x [k, n]", "GFLOP/s");
        for (Matmul mm : all) {
            System.out.printf("%-26s %22s %12.1f%n", mm.name(), "[" + mm.m() + ", " + mm.k() + "] x [" + mm.k() + ", "
                    + mm.n() + "]", r.median(mm.name()));
        }
    }

    /** The step's matmul shapes at this width, named {@code d<dim> <what>}. */
    static List<Matmul> shapes(ModelShape s, int tokens) {
        String p = "d" + s.dim() + " ";
        return List.of(new Matmul(p + "q/k/v/o", tokens, s.dim(), s.dim()),
                new Matmul(p + "gate/up", tokens, s.dim(), s.hidden()),
                new Matmul(p + "down", tokens, s.hidden(), s.dim()),
                new Matmul(p + "lm_head", tokens, s.dim(), s.vocab()));
    }

    /** The best GFLOP/s over the step's shapes at this width (one measurement of each). */
    static double peak(NDManager m, ModelShape s, int tokens, int reps) {
        double best = 0;
        for (Matmul mm : shapes(s, tokens)) {
            best = Math.max(best, gflops(m, mm, reps));
        }
        return best;
    }

    /**
     * GFLOP/s of the fastest of {@code reps} products, after two untimed ones: other processes only ever
     * slow a product down, so the fastest is the closest to what the machine can do (a peak, not a median).
     */
    static double gflops(NDManager manager, Matmul mm, int reps) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(mm.m(), mm.k())); // (m, k) activations
            NDArray w = m.randomNormal(new Shape(mm.n(), mm.k())); // (n, k): an (out, in) weight
            NDArray wT = w.transpose(); // (k, n) view, as Linear keeps it
            double best = 0;
            for (int i = -2; i < reps; i++) {
                long s = System.nanoTime();
                // eager CPU libtorch: the product is computed before matMul returns
                try (NDArray y = x.matMul(wT)) { // (m, n)
                    if (i >= 0) {
                        best = Math.max(best, mm.flops() / ((System.nanoTime() - s) / 1e9) / 1e9);
                    }
                }
            }
            return best;
        }
    }
}
