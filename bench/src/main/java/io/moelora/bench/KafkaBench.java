package io.moelora.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code bench.sh kafka}: the pipeline's Kafka figures on one broker, each part with the services it
 * needs: (a) gateway ingest vs a raw producer ({@link IngestBench}), (b) trainer consumption vs
 * training ({@link ConsumptionBench}), (c) checkpoint to leaderboard stream latency
 * ({@link LeaderboardLatencyBench}). {@code --parts} picks some of them.
 */
final class KafkaBench {

    static final String USAGE = "kafka [--parts ingest,consume,latency] [--rounds 3] [--ingest-examples 200000]"
            + " [--ingest-per-upload 10000] [--ingest-clients 4] [--consume-backlog 200000] [--train-steps 30]"
            + " [--train-warmup 3] [--latency-checkpoints 20] [--latency-warmup 3] [--latency-every 8]"
            + " [--latency-eval-items 8] [--out DIR]";
    private static final Set<String> PARTS = Set.of("ingest", "consume", "latency");

    private KafkaBench() {}

    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        List<String> parts = o.list("--parts", "ingest,consume,latency");
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--parts takes some of " + PARTS + ", got " + parts);
        }
        Path out = Path.of(o.string("--out", BarChart.DEFAULT_OUT));
        System.out.println(Machine.line());
        System.out.println("services: " + ServiceSettings.EMBEDDED_DEFAULT.label() + " each, heaps as the moelora"
                + " launcher sets them; the broker runs in this JVM");
        try (PipelineStack stack = PipelineStack.start(Path.of("."))) {
            if (parts.contains("ingest")) {
                IngestBench.run(stack, o, out);
            }
            if (parts.contains("consume")) {
                ConsumptionBench.run(stack, o, out);
            }
            if (parts.contains("latency")) {
                LeaderboardLatencyBench.run(stack, o, out);
            }
        }
    }
}
