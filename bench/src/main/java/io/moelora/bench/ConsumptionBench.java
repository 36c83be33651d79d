package io.moelora.bench;

import io.moelora.events.CheckpointPolicy;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumption vs training (Kafka part b). Each round starts a trainer (a fresh consumer group) on a
 * backlog of examples of a paused job: their records are read, validated, handed to the training
 * loop and held there without training, so the rate at which the trainer's counter of valid examples
 * climbs is what its consumer path can take. The same trainer then trains the embedded default's demo
 * job; examples/s of its optimizer steps (batch over the median step time) is the rate training
 * needs. The figure is the median of the per-round ratios consumed/trained: far above 1 means
 * consumption is never the bottleneck.
 */
final class ConsumptionBench {

    static final String PNG = "consume-vs-train.png";
    private static final String PAUSED_JOB = "bench-backlog";

    private ConsumptionBench() {}

    static void run(PipelineStack stack, BenchOptions o, Path out) throws Exception {
        int rounds = o.integer("--rounds", 3);
        int backlog = o.integer("--consume-backlog", 200_000);
        int steps = Math.max(1, o.integer("--train-steps", 30));
        int warmup = Math.max(1, o.integer("--train-warmup", 3)); // step 1 opens the job (baseline checkpoint)
        System.out.printf("%n== Kafka (b): trainer consumption vs training, backlog %d examples, %d+%d demo steps;"
                + " %d rounds ==%n", backlog, warmup, steps, rounds);
        CheckpointPolicy none = new CheckpointPolicy(BenchJobs.NO_CHECKPOINTS, 0);
        JobSpec paused = BenchJobs.demo(stack.repoRoot(), PAUSED_JOB, none, 4, null, true);
        ExampleRecords.submit(stack.bootstrap(), paused);
        List<Double> consumed = new ArrayList<>();
        List<Double> trained = new ArrayList<>();
        try (StepLog log = new StepLog(stack.bootstrap())) {
            for (int r = 1; r <= rounds; r++) {
                // Each round reads only its own backlog: earlier records are deleted, the group is new.
                stack.truncate(Topics.TRAINING_EXAMPLES);
                ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(PAUSED_JOB, "r" + r, backlog));
                Map<String, String> env = Map.of("MOELORA_TRAINER_GROUP", "bench-consume-" + r,
                        "MOELORA_TRAINER_METRICS_EVERY", "1");
                try (RunningService trainer = stack.start(ServiceKind.TRAINER, "bench-trainer-consume",
                        ServiceSettings.EMBEDDED_DEFAULT, env)) {
                    double c = drainRate(trainer, backlog);
                    double t = trainRate(stack, trainer, log, "bench-train-" + r, warmup, steps);
                    System.out.printf("  round %d  consumed %,.0f examples/s, trained %,.1f examples/s: %,.0f×%n",
                            r, c, t, c / t);
                    consumed.add(c);
                    trained.add(t);
                }
            }
        }
        double ratio = Stats.pairedRatio(consumed, trained);
        System.out.println();
        System.out.println("| consumer path examples/s (paused job, median) | demo-job training examples/s (median) |"
                + " consumed/trained (paired, median) |");
        System.out.println("|---|---|---|");
        System.out.printf("| %,.0f | %,.1f | %,.0f× |%n", Stats.median(consumed), Stats.median(trained), ratio);
        // One bar per round: the rates differ by orders of magnitude, their ratio is the figure.
        BarChart chart = new BarChart("Trainer: examples/s its consumer takes over examples/s training takes",
                "round", "consumed / trained");
        for (int r = 0; r < rounds; r++) {
            chart.add("consumed / trained", "round " + (r + 1), consumed.get(r) / trained.get(r));
        }
        chart.add("consumed / trained", "median", ratio).write(out, PNG);
    }

    /**
     * Examples/s from the first look at the counter that finds it moving (the trainer is ready and its
     * consumer has joined the group by then, so neither start-up nor the group join is measured) until the
     * whole backlog is counted. Looks are 100 ms apart: each is a Prometheus scrape the trainer serves
     * on the same two cores.
     */
    private static double drainRate(RunningService trainer, int backlog) throws Exception {
        RecordCounter counter = new RecordCounter(trainer);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long c0;
        while ((c0 = counter.validExamples()) == 0) {
            check(deadline, 0, backlog);
            Thread.sleep(100);
        }
        long t0 = System.nanoTime();
        long c = c0;
        while (c < backlog) {
            check(deadline, c, backlog);
            Thread.sleep(100);
            c = counter.validExamples();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  backlog: %,d of %,d counted at the first look, the rest in %.2f s%s%n", c0, backlog,
                seconds, c0 > backlog / 2 ? " (raise --consume-backlog: most was read before the first look)" : "");
        return (c - c0) / seconds;
    }

    private static void check(long deadline, long counted, int backlog) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the trainer counted " + counted + " of " + backlog + " backlog examples"
                    + " within 5 min");
        }
    }

    /** Examples/s of the demo job's steps after {@code warmup} steps: batch size over the median step time. */
    private static double trainRate(PipelineStack stack, RunningService trainer, StepLog log, String job, int warmup,
            int steps) throws Exception {
        JobSpec spec = BenchJobs.demo(stack.repoRoot(), job, new CheckpointPolicy(BenchJobs.NO_CHECKPOINTS, 0), 4,
                null, false);
        int batch = spec.batching().microBatch() * spec.batching().accumulation();
        ExampleRecords.submit(stack.bootstrap(), spec);
        ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(job, job, (warmup + steps) * batch));
        log.awaitStep(job, warmup + steps, Duration.ofMinutes(10), trainer);
        return batch / (Stats.median(log.stepMillis(job, warmup, warmup + steps)) / 1000);
    }
}
