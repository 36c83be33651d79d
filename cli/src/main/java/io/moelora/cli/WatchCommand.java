package io.moelora.cli;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobEvent;
import io.moelora.events.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Follows a job: lifecycle events, checkpoints and evaluation results with the gain over the
 * step-0 checkpoint (the base model). With {@code --until-gain} it is a check scripts can wait on.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a job's events and evaluation results (accuracy and gain over the base model).")
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--job", required = true, description = "the job to follow")
    String job;

    @Option(names = "--until-gain", paramLabel = "POINTS",
            description = "exit 0 once a suite's accuracy exceeds the base model's (step 0) by this many points")
    Double untilGain;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this long (exit 4)")
    Integer timeout;

    private final Map<String, Long> stepOf = new HashMap<>();
    private final Map<String, Double> baseline = new HashMap<>();
    private final Map<String, Double> best = new HashMap<>();
    private final Set<String> seenResults = new HashSet<>();
    // Topics are read side by side: a result can arrive before its checkpoint's step is known.
    private final Map<String, List<EvalResult>> waiting = new HashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000_000L;
        List<String> topics = List.of(Topics.JOB_EVENTS, Topics.CHECKPOINTS, Topics.EVAL_RESULTS, Topics.EVAL_PROGRESS);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = topics.stream()
                    .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(15)).stream()
                            .map(i -> new TopicPartition(t, i.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            out.printf("following job %s on %s (Ctrl-C to stop)%n", job, bootstrap);
            out.flush();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (job.equals(r.key()) && r.value() != null) {
                        show(r, out);
                    }
                }
                out.flush();
                if (untilGain != null && reachedGain()) {
                    out.printf("gain of at least %.1f points over the base model reached%n", untilGain);
                    return 0;
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalArgumentException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
        spec.commandLine().getErr().printf("timed out after %d s%s%n", timeout,
                untilGain == null ? "" : " before a gain of " + untilGain + " points; best " + best + ", base " + baseline);
        return 4;
    }

    private void show(ConsumerRecord<String, String> r, PrintWriter out) {
        try {
            switch (r.topic()) {
                case Topics.JOB_EVENTS -> {
                    JobEvent e = EventCodec.fromJson(r.value(), JobEvent.class);
                    out.printf("%s  job %-12s %s%n", e.timestamp(), e.state().jsonName(), e.reason());
                }
                case Topics.CHECKPOINTS -> {
                    CheckpointPublished c = EventCodec.fromJson(r.value(), CheckpointPublished.class);
                    stepOf.put(c.checkpointId(), c.step());
                    List<EvalResult> held = waiting.remove(c.checkpointId());
                    if (held != null) {
                        held.forEach(e -> result(e, out));
                    }
                }
                case Topics.EVAL_RESULTS -> result(EventCodec.fromJson(r.value(), EvalResult.class), out);
                case Topics.EVAL_PROGRESS -> {
                    EvalProgress p = EventCodec.fromJson(r.value(), EvalProgress.class);
                    if (p.kind() == EvalProgress.Kind.SKIPPED || p.kind() == EvalProgress.Kind.REFUSED) {
                        out.printf("%s  eval %-11s %s%n", p.timestamp(), p.kind().name().toLowerCase(), p.message());
                    }
                }
                default -> { }
            }
        } catch (EventFormatException | IllegalArgumentException e) {
            // Not this tool's to judge: the services dead-letter bad records.
        }
    }

    private void result(EvalResult e, PrintWriter out) {
        Long step = stepOf.get(e.checkpointId());
        if (step == null) {
            waiting.computeIfAbsent(e.checkpointId(), k -> new java.util.ArrayList<>()).add(e);
            return;
        }
        if (!seenResults.add(e.checkpointId() + "/" + e.suite())) {
            return; // results are idempotent by (checkpoint, suite)
        }
        if (step == 0) {
            baseline.put(e.suite(), e.accuracy());
        }
        best.merge(e.suite(), e.accuracy(), Math::max);
        Double base = baseline.get(e.suite());
        String note = "";
        if (step == 0) {
            note = "  base model";
        } else if (base != null) {
            note = String.format("  %+.2f vs base", e.accuracy() - base);
        }
        out.printf("%-24s eval %-18s step %-6s accuracy %6.2f%% (%d/%d)%s%n", "", e.suite(),
                step, e.accuracy(), e.correct(), e.n(), note);
    }

    private boolean reachedGain() {
        return baseline.entrySet().stream()
                .anyMatch(b -> best.getOrDefault(b.getKey(), 0.0) - b.getValue() >= untilGain);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
