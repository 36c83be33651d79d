package io.moelora.bench;

import io.moelora.events.CheckpointPolicy;
import io.moelora.events.EventCodec;
import io.moelora.events.EvalResult;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;

/**
 * {@code bench.sh contention}: the embedded default runs four JVMs (broker, trainer, eval, gateway)
 * on one host. This measures the trainer's step time on the demo job with the trainer alone (and the
 * broker) against with the eval service and gateway also running, idle, for each libtorch thread count
 * and OpenMP wait policy, all services set alike as the launcher sets them. Every configuration runs
 * once per round ({@link AlternatingRounds}); a configuration's figure is the median over rounds of
 * its per-run median step time, and the ratios are paired per round.
 */
final class ContentionBench {

    static final String PNG = "contention-step-times.png";
    static final String USAGE = "contention [--rounds 3] [--steps 30] [--warmup 5] [--settle-s 5] [--threads 1,2]"
            + " [--waits PASSIVE,ACTIVE] [--placements alone,with-idle] [--out DIR]";
    private static final String ALONE = "alone";
    private static final String WITH_IDLE = "with-idle";

    /** One measured configuration. */
    private record Config(ServiceSettings settings, String placement) {
        String label() {
            return settings.label() + ", " + (ALONE.equals(placement) ? "trainer alone" : "eval + gateway idle");
        }
    }

    private ContentionBench() {}

    static void run(String[] args) throws Exception {
        BenchOptions o = new BenchOptions(args);
        List<Config> configs = new ArrayList<>();
        for (String t : o.list("--threads", "1,2")) {
            for (String w : o.list("--waits", "PASSIVE,ACTIVE")) {
                for (String p : o.list("--placements", ALONE + "," + WITH_IDLE)) {
                    if (!ALONE.equals(p) && !WITH_IDLE.equals(p)) {
                        throw new IllegalArgumentException("--placements takes alone and/or with-idle, got " + p);
                    }
                    configs.add(new Config(new ServiceSettings(Integer.parseInt(t), w), p));
                }
            }
        }
        int rounds = o.integer("--rounds", 3);
        int warmup = Math.max(1, o.integer("--warmup", 5));
        int steps = Math.max(2, o.integer("--steps", 30)); // durations need a step before them
        Duration settle = Duration.ofSeconds(o.integer("--settle-s", 5));
        System.out.println(Machine.line());
        System.out.printf("demo job on builtin:tiny; step time = median of steps %d..%d of each run%n", warmup + 1,
                warmup + steps);
        AlternatingRounds runs = new AlternatingRounds();
        try (PipelineStack stack = PipelineStack.start(Path.of("."));
                StepLog log = new StepLog(stack.bootstrap());
                TopicTail results = new TopicTail(stack.bootstrap(), Topics.EVAL_RESULTS)) {
            AtomicInteger run = new AtomicInteger();
            for (Config c : configs) {
                runs.add(c.label(), "ms/step", () -> stepMillis(stack, log, results, c,
                        "bench-contention-" + run.incrementAndGet(), warmup, steps, settle));
            }
            // No untimed pass: every run is a fresh JVM that warms up within its own run.
            runs.run(rounds, false);
        }
        report(configs, runs, Path.of(o.string("--out", BarChart.DEFAULT_OUT)));
    }

    /** Median step time of one run of {@code c}: services started for it and stopped after. */
    private static double stepMillis(PipelineStack stack, StepLog log, TopicTail results, Config c, String job,
            int warmup, int steps, Duration settle) throws Exception {
        Map<String, String> env = Map.of("MOELORA_TRAINER_METRICS_EVERY", "1");
        List<RunningService> services = new ArrayList<>();
        try {
            stack.truncate(Topics.TRAINING_EXAMPLES, Topics.CHECKPOINTS);
            services.add(stack.launch(ServiceKind.TRAINER, "bench-trainer-contention", c.settings(), env));
            if (WITH_IDLE.equals(c.placement())) {
                services.add(stack.launch(ServiceKind.EVAL, "bench-eval-contention", c.settings(), Map.of()));
                services.add(stack.launch(ServiceKind.GATEWAY, "bench-gateway-contention", c.settings(), Map.of()));
            }
            for (RunningService s : services) {
                s.awaitReady(PipelineStack.START_TIMEOUT);
            }
            RunningService trainer = services.get(0);
            JobSpec spec = BenchJobs.demo(stack.repoRoot(), job, new CheckpointPolicy(BenchJobs.NO_CHECKPOINTS, 0), 4,
                    null, false);
            int batch = spec.batching().microBatch() * spec.batching().accumulation();
            ExampleRecords.submit(stack.bootstrap(), spec);
            ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(job, job + "-w", warmup * batch));
            log.awaitStep(job, warmup, Duration.ofMinutes(10), trainer);
            if (WITH_IDLE.equals(c.placement())) {
                // The step-0 baseline checkpoint is being scored: measure once the eval service is idle again.
                awaitResults(results, job, spec.eval().suites().size());
            }
            // Freshly started JVMs still compile and collect for a while: let them fall idle (both placements).
            Thread.sleep(settle.toMillis());
            ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(job, job + "-m", steps * batch));
            log.awaitStep(job, warmup + steps, Duration.ofMinutes(20), trainer);
            // From the first measured step's end: the wait for the measured examples is not a step.
            return Stats.median(log.stepMillis(job, warmup + 1, warmup + steps));
        } finally {
            for (RunningService s : services) {
                s.close();
            }
        }
    }

    private static void awaitResults(TopicTail results, String job, int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        int seen = 0;
        while (seen < count) {
            seen += (int) results.next(Duration.ofMillis(100)).stream().filter(r -> job.equals(r.key()))
                    .map(r -> EventCodec.fromJson(r.value(), EvalResult.class)).count();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the baseline of " + job + " was not scored within 10 min");
            }
        }
    }

    private static void report(List<Config> configs, AlternatingRounds runs, Path out) throws Exception {
        System.out.println();
        System.out.println("| libtorch threads | OMP_WAIT_POLICY | trainer alone ms/step"
                + " | eval + gateway idle ms/step | idle/alone (paired, median) | idle, vs the default (1, PASSIVE) |");
        System.out.println("|---|---|---|---|---|---|");
        Config reference = new Config(ServiceSettings.EMBEDDED_DEFAULT, WITH_IDLE);
        BarChart chart = new BarChart("Trainer step time, demo job on builtin:tiny (median of rounds)",
                "libtorch threads, OMP_WAIT_POLICY", "ms per step");
        for (ServiceSettings s : configs.stream().map(Config::settings).distinct().toList()) {
            Config alone = new Config(s, ALONE);
            Config idle = new Config(s, WITH_IDLE);
            boolean hasAlone = configs.contains(alone);
            boolean hasIdle = configs.contains(idle);
            System.out.printf("| %d | %s | %s | %s | %s | %s |%n", s.torchThreads(), s.ompWaitPolicy(),
                    hasAlone ? String.format("%.1f", runs.median(alone.label())) : "–",
                    hasIdle ? String.format("%.1f", runs.median(idle.label())) : "–",
                    hasAlone && hasIdle
                            ? String.format("%.2f×", runs.pairedRatio(idle.label(), alone.label())) : "–",
                    hasIdle && configs.contains(reference)
                            ? String.format("%.2f×", runs.pairedRatio(idle.label(), reference.label())) : "–");
            if (hasAlone) {
                chart.add("trainer alone", s.label(), runs.median(alone.label()));
            }
            if (hasIdle) {
                chart.add("eval + gateway running, idle", s.label(), runs.median(idle.label()));
            }
        }
        chart.write(out, PNG);
    }
}
