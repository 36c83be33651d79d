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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ms/step of base forward, LoRA step, MoELoRA step without and with the contrastive loss, on the same
 * config in DJL (this process) and in eager PyTorch ({@code bench/python/adapter_bench.py}, a
 * subprocess), alternating rounds so both see the same machine state. Prints the ratios DJL/PyTorch
 * and MoELoRA/LoRA.
 */
final class AdapterBench {

    static final List<String> CASES = List.of("base_forward", "lora_step", "moelora_step", "moelora_cl_step");
    static final int DIM = 256;
    static final int LAYERS = 4;
    static final int HEADS = 4;
    static final int HIDDEN = 688;
    static final int VOCAB = 1024;
    static final int SEQ = 128;
    static final int BATCH = 8;
    static final int RANK = 8;
    static final int EXPERTS = 4;
    static final int TOP_K = 2;
    static final List<String> TARGETS = List.of("q_proj", "v_proj");

    private AdapterBench() {}

    static void run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        System.out.printf("machine: %d cores; config dim %d, %d layers, %d heads, vocab %d, seq %d, batch %d;"
                + " LoRA r=%d vs MoELoRA N=%d top-%d r_e=%d on %s; %d threads each side%n",
                Runtime.getRuntime().availableProcessors(), DIM, LAYERS, HEADS, VOCAB, SEQ, BATCH, RANK, EXPERTS, TOP_K,
                RANK / EXPERTS, TARGETS, threads);
        Map<String, List<Double>> djl = new LinkedHashMap<>();
        Map<String, List<Double>> torch = new LinkedHashMap<>();
        String torchBlas = "";
        try (NDManager weights = DjlRuntime.newManager()) {
            LlamaModel model = BenchModels.llama(DIM, LAYERS, HEADS, HEADS, HIDDEN, VOCAB, SEQ, weights);
            List<TokenizedExample> data = BenchModels.randomSequences(BATCH, SEQ, VOCAB, 7);
            for (int round = 0; round < rounds; round++) {
                for (String c : CASES) {
                    djl.computeIfAbsent(c, k -> new ArrayList<>()).add(djlMs(model, data, c, iters));
                    PythonBaseline.Result r = PythonBaseline.run(c, iters, threads, DIM, LAYERS, HEADS, HIDDEN, VOCAB,
                            SEQ, BATCH, EXPERTS, TOP_K, RANK, TARGETS);
                    torch.computeIfAbsent(c, k -> new ArrayList<>()).add(r.msPerStep());
                    torchBlas = r.blas();
                    System.out.printf("round %d %-16s DJL %8.1f ms   PyTorch %8.1f ms%n", round + 1, c,
                            last(djl.get(c)), r.msPerStep());
                }
            }
        }
        System.out.printf("%nPyTorch side: %s%n", torchBlas);
        System.out.printf("%-16s %12s %12s %12s %14s%n", "case", "DJL ms", "PyTorch ms", "DJL/PyTorch", "DJL tokens/s");
        for (String c : CASES) {
            double d = median(djl.get(c));
            double t = median(torch.get(c));
            System.out.printf("%-16s %12.1f %12.1f %11.2fx %14.0f%n", c, d, t, d / t, BATCH * SEQ / (d / 1000));
        }
        double lora = median(djl.get("lora_step"));
        System.out.printf("%nMoELoRA/LoRA (DJL): without contrastive %.2fx, with contrastive %.2fx (target <= 1.3x)%n",
                median(djl.get("moelora_step")) / lora, median(djl.get("moelora_cl_step")) / lora);
        double tl = median(torch.get("lora_step"));
        System.out.printf("MoELoRA/LoRA (PyTorch): without contrastive %.2fx, with contrastive %.2fx%n",
                median(torch.get("moelora_step")) / tl, median(torch.get("moelora_cl_step")) / tl);
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
            return median(ms);
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
        return median(ms);
    }

    private static double last(List<Double> xs) {
        return xs.get(xs.size() - 1);
    }

    static double median(List<Double> xs) {
        return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
