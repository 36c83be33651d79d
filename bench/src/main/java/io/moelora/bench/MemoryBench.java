package io.moelora.bench;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.TokenizedExample;
import io.moelora.core.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Flat memory: resident set size over many MoELoRA training steps (contrastive loss on). Prints RSS
 * after warm-up and at the end, and the growth in percent (target: below 5 %).
 */
final class MemoryBench {

    private MemoryBench() {}

    static void run(int steps) throws IOException {
        int warmup = Math.max(20, steps / 5); // allocator pools settle in the first few hundred steps
        System.out.printf("machine: %d cores; MoELoRA (N=4, top-2, r_e=2, q/v/down) on dim 128 x 2 layers, batch 4 x 64 tokens%n",
                Runtime.getRuntime().availableProcessors());
        try (NDManager weights = DjlRuntime.newManager()) {
            LlamaModel model = BenchModels.llama(128, 2, 4, 4, 344, 512, 64, weights);
            AdapterConfig config = AdapterConfig.moelora(4, 2, 2, 16, 0.05, List.of("q_proj", "v_proj", "down_proj"),
                    0.1, 0.1, 64, 0.01);
            List<TokenizedExample> data = BenchModels.randomSequences(64, 64, 512, 1);
            TrainingOptions options = TrainingOptions.defaults().withLr(1e-4).withWarmup(10).withBatching(4, 1, 64);
            long atWarmup = 0;
            try (AdapterSet adapters = AdapterSet.create(model, config, 1);
                    AdapterTrainer trainer = new AdapterTrainer(model, adapters, options, steps + warmup)) {
                for (int s = 0; s < steps + warmup; s++) {
                    int from = (s * 4) % data.size();
                    trainer.step(data.subList(from, from + 4));
                    if (s + 1 == warmup) {
                        System.gc();
                        atWarmup = rssKb();
                        System.out.printf("after %d warm-up steps: RSS %.1f MiB%n", warmup, atWarmup / 1024.0);
                    } else if (s >= warmup && (s + 1 - warmup) % Math.max(1, steps / 5) == 0) {
                        System.out.printf("step %d: RSS %.1f MiB%n", s + 1 - warmup, rssKb() / 1024.0);
                    }
                }
            }
            System.gc();
            long end = rssKb();
            System.out.printf("after %d more steps: RSS %.1f MiB; growth %.2f %% (target < 5 %%)%n", steps, end / 1024.0,
                    100.0 * (end - atWarmup) / atWarmup);
        }
    }

    /** VmRSS of this process from /proc (Linux). */
    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
