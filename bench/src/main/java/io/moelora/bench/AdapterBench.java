package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.TokenizedExample;
import io.moelora.core.train.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ms/step of base forward, LoRA step, MoELoRA step without and with the contrastive loss, on the same
 * config in DJL (this process) and in eager PyTorch ({@code bench/python/adapter_bench.py}, a
 * subprocess), at each width of {@code --dims} ({@link ModelShape}), alternating rounds so both see the
 * same machine state. Each round also measures DJL's matmul peak on the step's shapes
 * ({@link MatmulBench}), so model-FLOPs utilisation ({@link StepFlops} / step time / peak) is a paired
 * figure too. Prints the ratios DJL/PyTorch and MoELoRA/LoRA, and writes {@value #STEPS_PNG} and
 * {@value #MFU_PNG}.
 */
final class AdapterBench {

    static final List<String> CASES = List.of("base_forward", "lora_step", "moelora_step", "moelora_cl_step");
    static final int SEQ = 128;
    static final int BATCH = 8;
    static final int RANK = 8;
    static final int EXPERTS = 4;
    static final int TOP_K = 2;
    static final List<String> TARGETS = List.of("q_proj", "v_proj");
    static final String STEPS_PNG = "adapter-step-ms.png";
    static final String MFU_PNG = "mfu.png";

    private static final int MATMUL_REPS = 10;

    private AdapterBench() {}

    /** {@code bench.sh adapters [ROUNDS [ITERS]] [--dims 256,512] [--torch on|off] [--out DIR]}. */
    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        int rounds = o.integer("--rounds", o.positional(0, 3));
        int iters = o.integer("--iters", o.positional(1, 10));
        List<Integer> dims = o.integers("--dims", "256,512");
        boolean torch = !o.string("--torch", "on").equals("off");
        Path out = Path.of(o.string("--out", BarChart.DEFAULT_OUT));
        int threads = Machine.threads();
        System.out.println(Machine.line());
        System.out.printf("seq %d, batch %d; LoRA r=%d vs MoELoRA N=%d top-%d r_e=%d on %s; %d threads each side;"
                + " %s%n", SEQ, BATCH, RANK, EXPERTS, TOP_K, RANK / EXPERTS, TARGETS, threads,
                torch ? "PyTorch baseline on" : "PyTorch baseline off (--torch off)");
        AlternatingRounds r = new AlternatingRounds();
        String[] torchBlas = {""};
        try (NDManager weights = DjlRuntime.newManager()) {
            List<TokenizedExample> data = BenchModels.randomSequences(BATCH, SEQ, ModelShape.VOCAB, 7);
            for (int dim : dims) {
                ModelShape shape = ModelShape.llama(dim);
                System.out.printf("d%d: %s%n", dim, shape.describe());
                LlamaModel model = shape.build(SEQ, weights);
                r.add(peakCase(dim), "GFLOP/s", () -> MatmulBench.peak(weights, shape, BATCH * SEQ, MATMUL_REPS));
                for (String c : CASES) {
                    r.add(djlCase(dim, c), "ms", () -> djlMs(model, data, c, iters));
                    if (torch) {
                        r.add(torchCase(dim, c), "ms", () -> {
                            PythonBaseline.Result res = PythonBaseline.run(c, iters, threads, dim, shape.layers(),
                                    shape.heads(), shape.hidden(), shape.vocab(), SEQ, BATCH, EXPERTS, TOP_K, RANK, TARGETS);
                            torchBlas[0] = res.blas();
                            return res.msPerStep();
                        });
                    }
                }
            }
            r.run(rounds, false); // both sides warm up inside each measurement
        }
        if (torch) {
            System.out.printf("%nPyTorch side: %s%n", torchBlas[0]);
        }
        BarChart steps = new BarChart("Adapter training step: DJL vs PyTorch (median ms, lower is better)", "case",
                "ms per step");
        BarChart mfu = new BarChart("Model-FLOPs utilisation of the measured matmul peak", "case", "MFU (%)");
        for (int dim : dims) {
            report(r, dim, torch, steps, mfu);
        }
        steps.write(out, STEPS_PNG);
        mfu.write(out, MFU_PNG);
    }

    private static void report(AlternatingRounds r, int dim, boolean torch, BarChart steps, BarChart mfuChart) {
        ModelShape shape = ModelShape.llama(dim);
        double peak = r.median(peakCase(dim));
        System.out.printf("%nd%d (%s); matmul peak on the step's shapes: %.1f GFLOP/s (median of rounds)%n", dim,
                shape.describe(), peak);
        System.out.printf("%-16s %9s %11s %12s %12s %10s %12s %9s %11s%n", "case", "DJL ms", "PyTorch ms", "DJL/PyTorch",
                "DJL tokens/s", "GFLOP/it", "DJL GFLOP/s", "MFU DJL", "MFU PyTorch");
        Map<String, Double> djlMfu = new LinkedHashMap<>();
        for (String c : CASES) {
            double flops = StepFlops.ofCase(c, shape, BATCH, SEQ, RANK, EXPERTS, TARGETS.size());
            double d = r.median(djlCase(dim, c));
            double mfu = mfu(flops, r.samples(djlCase(dim, c)), r.samples(peakCase(dim)));
            djlMfu.put(c, mfu);
            steps.add("DJL d" + dim, c, d); // DJL's bar first in each pair
            mfuChart.add("DJL d" + dim, c, 100 * mfu);
            String t = "-";
            String ratio = "-";
            String mfuTorch = "-";
            if (torch) {
                double tm = r.median(torchCase(dim, c));
                t = String.format("%.1f", tm);
                ratio = String.format("%.2fx", r.pairedRatio(djlCase(dim, c), torchCase(dim, c)));
                double mt = mfu(flops, r.samples(torchCase(dim, c)), r.samples(peakCase(dim)));
                mfuTorch = String.format("%.1f %%", 100 * mt);
                steps.add("PyTorch d" + dim, c, tm);
                mfuChart.add("PyTorch d" + dim, c, 100 * mt);
            }
            System.out.printf("%-16s %9.1f %11s %12s %12.0f %10.2f %12.1f %7.1f %% %11s%n", c, d, t, ratio,
                    BATCH * SEQ / (d / 1000), flops / 1e9, flops / (d / 1000) / 1e9, 100 * mfu, mfuTorch);
        }
        System.out.printf("MoELoRA/LoRA (DJL, paired): without contrastive %.2fx, with contrastive %.2fx (target <= 1.3x)%n",
                r.pairedRatio(djlCase(dim, "moelora_step"), djlCase(dim, "lora_step")),
                r.pairedRatio(djlCase(dim, "moelora_cl_step"), djlCase(dim, "lora_step")));
        if (torch) {
            System.out.printf("MoELoRA/LoRA (PyTorch, paired): without contrastive %.2fx, with contrastive %.2fx%n",
                    r.pairedRatio(torchCase(dim, "moelora_step"), torchCase(dim, "lora_step")),
                    r.pairedRatio(torchCase(dim, "moelora_cl_step"), torchCase(dim, "lora_step")));
        }
        String best = djlMfu.entrySet().stream().filter(e -> !e.getKey().equals("base_forward"))
                .max(Map.Entry.comparingByValue()).map(e -> String.format("%.1f %% (%s)", 100 * e.getValue(), e.getKey()))
                .orElse("-");
        System.out.printf("best training-step MFU (DJL) at d%d: %s of the measured matmul peak (target >= 50 %% at d512)%n",
                dim, best);
        if (djlMfu.values().stream().anyMatch(m -> m > 1)) {
            System.out.println("note: MFU above 100 % means the peak was measured while the machine was busier than"
                    + " during the steps; rerun on a quiet machine with more rounds");
        }
    }

    /** Median over rounds of FLOPs / step time / that round's matmul peak. */
    private static double mfu(double flops, List<Double> ms, List<Double> peakGflops) {
        List<Double> achieved = new ArrayList<>();
        for (double m : ms) {
            achieved.add(flops / (m / 1000) / 1e9);
        }
        return Stats.pairedRatio(achieved, peakGflops);
    }

    private static String peakCase(int dim) {
        return "d" + dim + " matmul peak";
    }

    private static String djlCase(int dim, String c) {
        return "d" + dim + " " + c + " DJL";
    }

    private static String torchCase(int dim, String c) {
        return "d" + dim + " " + c + " PyTorch";
    }

    /** Median ms of {@code iters} timed iterations after 3 warm-up ones. */
    private static double djlMs(LlamaModel model, List<TokenizedExample> data, String c, int iters) {
        double[] ms = new double[iters];
        if (c.equals("base_forward")) {
            TokenBatch batch = TokenBatch.leftPadded(data.stream().map(TokenizedExample::ids).toList(), 0);
            for (int i = -3; i < iters; i++) {
                long s = System.nanoTime();
                try (NDManager m = DjlRuntime.newManager()) {
                    DjlRuntime.inferenceMode();
                    model.logits(m, batch, null).getFloat(0, 0, 0); // forces the computation
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
            }
            return Stats.median(ms);
        }
        AdapterConfig config = switch (c) {
            case "lora_step" -> AdapterConfig.lora(RANK, 2.0 * RANK, 0.05, TARGETS);
            case "moelora_step" -> AdapterConfig.moelora(EXPERTS, TOP_K, RANK / EXPERTS, 2.0 * RANK, 0.05, TARGETS, 0, 0.1, 64, 0.01);
            default -> AdapterConfig.moelora(EXPERTS, TOP_K, RANK / EXPERTS, 2.0 * RANK, 0.05, TARGETS, 0.1, 0.1, 64, 0.01);
        };
        // no clipping on either side; AdamW lr 1e-4, weight decay 0, as the PyTorch script
        TrainingOptions options = new TrainingOptions(1e-4, 0, 0, BATCH, 1, SEQ, true, 0, 5, 1);
        try (AdapterSet adapters = AdapterSet.create(model, config, 1);
                AdapterTrainer trainer = new AdapterTrainer(model, adapters, options, iters + 10)) {
            for (int i = -3; i < iters; i++) {
                long s = System.nanoTime();
                trainer.step(data);
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
            }
        }
        return Stats.median(ms);
    }
}
