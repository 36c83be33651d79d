package io.moelora.bench;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checkpoint to leaderboard (Kafka part c): from the moment the trainer publishes a checkpoint (the
 * record's timestamp) until a client of the gateway's leaderboard stream sees it on the overall
 * board, minus the evaluation itself (the result's {@code durationMs}). The job is scored on one
 * suite, so each checkpoint has one result; examples are fed one checkpoint's worth at a time and
 * the next only after the last checkpoint reached the board, so no checkpoint waits behind another.
 * Parts: publish to evaluation start (consume, job lookup, checkpoint verify and load) and result to
 * client (gateway's feed, board, stream). All timestamps are this host's wall clock.
 */
final class LeaderboardLatencyBench {

    static final String PNG = "leaderboard-latency.png";
    private static final String JOB = "bench-latency";

    /** One checkpoint's path, epoch ms. */
    private record Sample(long step, long publishedMs, long resultMs, long evalMs, long seenMs) {
        double total() {
            return seenMs - publishedMs;
        }

        double overhead() {
            return total() - evalMs;
        }

        double toEval() {
            return resultMs - evalMs - publishedMs;
        }

        double toClient() {
            return seenMs - resultMs;
        }
    }

    private LeaderboardLatencyBench() {}

    static void run(PipelineStack stack, BenchOptions o, Path out) throws Exception {
        int samples = o.integer("--latency-checkpoints", 20);
        int warmup = o.integer("--latency-warmup", 3);
        int every = o.integer("--latency-every", 8);
        int evalLimit = o.integer("--latency-eval-items", 8);
        System.out.printf("%n== Kafka (c): checkpoint published -> leaderboard stream, %d checkpoints (+%d warm-up),"
                + " one every %d examples, %d eval items ==%n", samples, warmup, every, evalLimit);
        ServiceSettings s = ServiceSettings.EMBEDDED_DEFAULT;
        // The other parts' examples and checkpoints would be trained and scored first.
        stack.truncate(Topics.TRAINING_EXAMPLES, Topics.CHECKPOINTS);
        try (RunningService trainer = stack.launch(ServiceKind.TRAINER, "bench-trainer-latency", s, Map.of());
                RunningService eval = stack.launch(ServiceKind.EVAL, "bench-eval-latency", s, Map.of());
                RunningService gateway = stack.launch(ServiceKind.GATEWAY, "bench-gateway-latency", s, Map.of())) {
            for (RunningService r : List.of(trainer, eval, gateway)) {
                r.awaitReady(PipelineStack.START_TIMEOUT);
            }
            List<Sample> measured = measure(stack, gateway, every, evalLimit, warmup, warmup + samples);
            // A feed can publish two checkpoints (the step-0 baseline comes with the first example): keep `samples`.
            report(measured.subList(warmup, warmup + samples), out);
        }
    }

    private static List<Sample> measure(PipelineStack stack, RunningService gateway, int every, int evalLimit,
            int warmup, int needed) throws Exception {
        List<Sample> out = new ArrayList<>();
        Map<String, ConsumerRecord<String, String>> published = new LinkedHashMap<>();
        Map<String, ConsumerRecord<String, String>> results = new HashMap<>();
        try (LeaderboardStream board = LeaderboardStream.open(gateway.baseUrl());
                TopicTail checkpoints = new TopicTail(stack.bootstrap(), Topics.CHECKPOINTS);
                TopicTail evalResults = new TopicTail(stack.bootstrap(), Topics.EVAL_RESULTS)) {
            ExampleRecords.submit(stack.bootstrap(), BenchJobs.small(JOB, every, null, evalLimit));
            int fed = 0;
            while (out.size() < needed) {
                ExampleRecords.send(stack.bootstrap(), ExampleRecords.of(JOB, "f" + fed, every));
                fed++;
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                // Wait until every checkpoint published so far has its result and is on the board.
                while (true) {
                    checkpoints.next(Duration.ofMillis(20)).stream().filter(r -> JOB.equals(r.key()))
                            .forEach(r -> published.putIfAbsent(checkpointId(r), r));
                    evalResults.next(Duration.ofMillis(20)).stream().filter(r -> JOB.equals(r.key()))
                            .forEach(r -> results.putIfAbsent(EventCodec.fromJson(r.value(), EvalResult.class)
                                    .checkpointId(), r));
                    boolean fresh = published.size() > out.size();
                    if (fresh && published.keySet().stream()
                            .allMatch(id -> results.containsKey(id) && board.firstSeenMs(id) != null)) {
                        break;
                    }
                    if (System.nanoTime() > deadline || board.failure() != null) {
                        throw new IllegalStateException("checkpoints " + published.keySet() + " did not all reach the"
                                + " board within 3 min (results for " + results.keySet() + ")", board.failure());
                    }
                }
                for (var p : new ArrayList<>(published.values()).subList(out.size(), published.size())) {
                    CheckpointPublished c = EventCodec.fromJson(p.value(), CheckpointPublished.class);
                    ConsumerRecord<String, String> r = results.get(c.checkpointId());
                    out.add(new Sample(c.step(), p.timestamp(), r.timestamp(),
                            EventCodec.fromJson(r.value(), EvalResult.class).durationMs(),
                            board.firstSeenMs(c.checkpointId())));
                    Sample s = out.get(out.size() - 1);
                    System.out.printf("checkpoint at step %d: %.0f ms to the board, %d ms evaluating, %.0f ms besides"
                            + " (%.0f to evaluation, %.0f to the client)%s%n", s.step(), s.total(), s.evalMs(),
                            s.overhead(), s.toEval(), s.toClient(), out.size() <= warmup ? ", warm-up" : "");
                }
            }
        }
        return out;
    }

    private static String checkpointId(ConsumerRecord<String, String> r) {
        return EventCodec.fromJson(r.value(), CheckpointPublished.class).checkpointId();
    }

    private static void report(List<Sample> samples, Path out) throws Exception {
        List<Double> overhead = samples.stream().map(Sample::overhead).toList();
        List<Double> total = samples.stream().map(Sample::total).toList();
        List<Double> eval = samples.stream().map(s -> (double) s.evalMs()).toList();
        System.out.println();
        System.out.println("| checkpoints | p50 published→board minus eval | p95 | eval time (median)"
                + " | end to end p50 | publish→eval start (median) | result→client (median) |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", samples.size(),
                percentile(overhead, 50), percentile(overhead, 95), Stats.median(eval), percentile(total, 50),
                Stats.median(samples.stream().map(Sample::toEval).toList()),
                Stats.median(samples.stream().map(Sample::toClient).toList()));
        LineChart chart = new LineChart("Checkpoint → leaderboard stream, " + samples.size() + " checkpoints"
                + " (cumulative distribution)", "latency (ms)", "share of checkpoints", true);
        addCdf(chart, "published → on the board, minus evaluation", overhead);
        addCdf(chart, "published → on the board (end to end)", total);
        chart.write(out, PNG);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]: a value that was measured, never interpolated. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Empirical cumulative distribution: a point (value, share of samples <= value) per sample. */
    private static void addCdf(LineChart chart, String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        for (int i = 0; i < sorted.size(); i++) {
            chart.add(name, sorted.get(i), (i + 1) / (double) sorted.size());
        }
    }
}
