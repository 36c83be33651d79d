package io.moelora.bench;

import io.moelora.events.EventCodec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * When each optimizer step of each job finished, read from {@code moelora.training-metrics} (the
 * trainer stamps a step's metrics when the step ends; run it with {@code metrics-every=1} to see them all).
 */
final class StepLog implements AutoCloseable {

    private final TopicTail tail;
    private final Map<String, NavigableMap<Long, Instant>> byJob = new HashMap<>();

    StepLog(String bootstrap) {
        this.tail = new TopicTail(bootstrap, Topics.TRAINING_METRICS);
    }

    /** Reads what arrived; returns the last step of {@code jobId} known now (0 when none). */
    long poll(String jobId) {
        for (ConsumerRecord<String, String> r : tail.next(Duration.ofMillis(100))) {
            TrainingMetrics m = EventCodec.fromJson(r.value(), TrainingMetrics.class);
            byJob.computeIfAbsent(m.jobId(), j -> new TreeMap<>()).put(m.step(), m.timestamp());
        }
        NavigableMap<Long, Instant> steps = byJob.get(jobId);
        return steps == null || steps.isEmpty() ? 0 : steps.lastKey();
    }

    /** Waits until {@code jobId} has reached {@code step}. */
    void awaitStep(String jobId, long step, Duration timeout, RunningService trainer) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (poll(jobId) < step) {
            if (!trainer.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " did not reach step " + step + " within " + timeout
                        + " (at " + poll(jobId) + "; trainer alive: " + trainer.alive() + ")");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Durations in ms of the steps {@code from+1 .. to} of {@code jobId}, each from the end of the step
     * before it; steps must be consecutive (metrics for every step).
     */
    List<Double> stepMillis(String jobId, long from, long to) {
        NavigableMap<Long, Instant> steps = byJob.get(jobId);
        List<Double> out = new ArrayList<>();
        for (long s = from + 1; s <= to; s++) {
            Instant before = steps.get(s - 1);
            Instant end = steps.get(s);
            if (before == null || end == null) {
                throw new IllegalStateException("no metrics of step " + (before == null ? s - 1 : s) + " of " + jobId
                        + ": run the trainer with MOELORA_TRAINER_METRICS_EVERY=1");
            }
            out.add(Duration.between(before, end).toNanos() / 1e6);
        }
        return out;
    }

    @Override
    public void close() {
        tail.close();
    }
}
