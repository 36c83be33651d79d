package io.moelora.bench;

import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench.sh service-memory}: resident memory of the trainer service over many training steps
 * and of the eval service over many checkpoints, both packaged JVMs as the embedded default runs them.
 * One small job is fed a checkpoint's worth of examples at a time and the next only once that
 * checkpoint is scored, so every checkpoint is evaluated (none superseded). VmRSS of both is sampled
 * all along; growth is measured from the end of the warm-up share of the run to the end.
 */
final class ServiceMemoryBench {

    static final String PNG = "service-rss.png";
    static final String USAGE = "service-memory [--steps 5000] [--checkpoints 50] [--warmup 0.2] [--sample-ms 1000]"
            + " [--eval-items 8] [--out DIR]";
    private static final String JOB = "bench-memory";
    private static final int BATCH = 4; // BenchJobs.small's batch
    private static final double BOUND = 0.05;

    /** One look at both JVMs. */
    private record Sample(double seconds, long step, int scored, double trainerMib, double evalMib) {}

    private ServiceMemoryBench() {}

    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        int checkpoints = o.integer("--checkpoints", 50);
        int stepsPerCheckpoint = Math.max(1, o.integer("--steps", 5000) / checkpoints);
        int steps = stepsPerCheckpoint * checkpoints;
        double warmup = Double.parseDouble(o.string("--warmup", "0.2"));
        int evalItems = o.integer("--eval-items", 8);
        long sampleNanos = o.integer("--sample-ms", 1000) * 1_000_000L;
        System.out.println(Machine.line());
        System.out.printf("job: MoELoRA (4 experts, top-2, r 2, q/v) on builtin:tiny, batch %d x 64 tokens; %d steps,"
                + " a checkpoint every %d steps, each scored on %d items; embedded-default settings (%s)%n", BATCH,
                steps, stepsPerCheckpoint, evalItems, ServiceSettings.EMBEDDED_DEFAULT.label());
        List<Sample> samples = new ArrayList<>();
        try (PipelineStack stack = PipelineStack.start(Path.of("."));
                RunningService trainer = stack.launch(ServiceKind.TRAINER, "bench-trainer-memory",
                        ServiceSettings.EMBEDDED_DEFAULT, Map.of());
                RunningService eval = stack.launch(ServiceKind.EVAL, "bench-eval-memory",
                        ServiceSettings.EMBEDDED_DEFAULT, Map.of());
                StepLog log = new StepLog(stack.bootstrap());
                TopicTail results = new TopicTail(stack.bootstrap(), Topics.EVAL_RESULTS)) {
            trainer.awaitReady(PipelineStack.START_TIMEOUT);
            eval.awaitReady(PipelineStack.START_TIMEOUT);
            long examples = (long) steps * BATCH;
            ExampleRecords.submit(stack.bootstrap(), BenchJobs.small(JOB, stepsPerCheckpoint * BATCH, examples,
                    evalItems));
            long start = System.nanoTime();
            long nextSample = start;
            int scored = 0;
            for (int c = 1; c <= checkpoints; c++) {
                ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(JOB, "m" + c, stepsPerCheckpoint * BATCH));
                // Scored: the step-0 baseline and checkpoints 1..c.
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (scored < c + 1) {
                    scored += (int) results.next(Duration.ofMillis(50)).stream().filter(r -> JOB.equals(r.key()))
                            .map(r -> EventCodec.fromJson(r.value(), EvalResult.class).checkpointId()).count();
                    if (System.nanoTime() >= nextSample) {
                        samples.add(new Sample((System.nanoTime() - start) / 1e9, log.poll(JOB), scored,
                                trainer.rssMib(), eval.rssMib()));
                        nextSample += sampleNanos;
                    }
                    if (System.nanoTime() > deadline || !trainer.alive() || !eval.alive()) {
                        throw new IllegalStateException("checkpoint " + c + " was not scored within 5 min"
                                + " (trainer alive: " + trainer.alive() + ", eval alive: " + eval.alive() + ")");
                    }
                }
            }
            samples.add(new Sample((System.nanoTime() - start) / 1e9, log.poll(JOB), scored, trainer.rssMib(),
                    eval.rssMib()));
        }
        System.out.println();
        report("trainer", "steps", samples, Sample::step, steps, warmup, Sample::trainerMib);
        report("eval", "checkpoints scored", samples, Sample::scored, checkpoints + 1, warmup, Sample::evalMib);
        LineChart chart = new LineChart("Service RSS: " + steps + " training steps, " + checkpoints
                + " checkpoints scored", "seconds", "VmRSS (MiB)", false);
        for (Sample s : samples) {
            chart.add("trainer-service", s.seconds(), s.trainerMib()).add("eval-service", s.seconds(), s.evalMib());
        }
        chart.write(Path.of(o.string("--out", BarChart.DEFAULT_OUT)), PNG);
    }

    /**
     * The median RSS in each fifth of the run after the warm-up share of {@code total} units (steps or
     * checkpoints scored), and the growth from the first fifth to the last: medians, because a JVM's RSS
     * jumps for a moment while it evaluates or collects garbage.
     */
    private static void report(String service, String unit, List<Sample> samples, ToDoubleFunction<Sample> progress,
            long total, double warmup, ToDoubleFunction<Sample> rss) {
        StringBuilder head = new StringBuilder("| " + service + " VmRSS (median), " + unit + " |");
        StringBuilder sep = new StringBuilder("|---|");
        StringBuilder row = new StringBuilder("| |");
        double from = total * warmup;
        double width = total * (1 - warmup) / 5;
        double first = 0;
        double last = 0;
        for (int i = 0; i < 5; i++) {
            double lo = from + i * width;
            double hi = i == 4 ? Double.MAX_VALUE : lo + width;
            List<Double> in = samples.stream().filter(s -> progress.applyAsDouble(s) >= lo
                    && progress.applyAsDouble(s) < hi).map(rss::applyAsDouble).toList();
            if (in.isEmpty()) { // a short run: the first sample past the segment's start stands for it
                in = samples.stream().filter(s -> progress.applyAsDouble(s) >= lo).limit(1).map(rss::applyAsDouble)
                        .toList();
            }
            double mib = Stats.median(in.isEmpty() ? List.of(rss.applyAsDouble(samples.get(samples.size() - 1))) : in);
            first = i == 0 ? mib : first;
            last = mib;
            head.append(String.format(" %.0f–%.0f |", lo, Math.min(total, lo + width)));
            sep.append("---|");
            row.append(String.format(" %.1f MiB |", mib));
        }
        double growth = (last - first) / first;
        double peak = samples.stream().mapToDouble(rss).max().orElse(0);
        System.out.println(head + " growth | peak |");
        System.out.println(sep + "---|---|");
        System.out.println(row + String.format(" %+.1f %% (%s %.0f %%) | %.0f MiB |", growth * 100,
                Math.abs(growth) <= BOUND ? "within" : "outside", BOUND * 100, peak));
        System.out.println();
    }
}
