package io.moelora.trainer.train;

import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.Topics;
import io.moelora.messaging.TopicFollower;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The best checkpoint of each job by evaluation score (mean accuracy over the suites reported for
 * it), read from the eval results topic, so retention never deletes it.
 */
public final class BestCheckpoints implements AutoCloseable {

  /** Accuracy per suite of one checkpoint; a repeated (checkpoint, suite) result replaces the first. */
  private record Score(Map<String, Double> bySuite) {
    double mean() {
      return bySuite.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
  }

  private final Map<String, Map<String, Score>> scores = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  public BestCheckpoints(String bootstrap) {
    this.follower = new TopicFollower(bootstrap, Topics.EVAL_RESULTS, "trainer-eval-results", this::add);
  }

  public BestCheckpoints start() {
    follower.start();
    return this;
  }

  /** The job's best checkpoint id by mean accuracy, as a set (empty when nothing is scored yet). */
  public Set<String> protectedIds(String jobId) {
    Map<String, Score> job = scores.get(jobId);
    if (job == null || job.isEmpty()) {
      return Set.of();
    }
    return job.entrySet().stream()
        .max(Map.Entry.<String, Score>comparingByValue((a, b) -> Double.compare(a.mean(), b.mean())))
        .map(e -> Set.of(e.getKey())).orElse(Set.of());
  }

  private void add(ConsumerRecord<String, String> r) {
    if (r.value() == null) {
      return;
    }
    try {
      EvalResult result = EventCodec.fromJson(r.value(), EvalResult.class);
      scores.computeIfAbsent(result.jobId(), k -> new ConcurrentHashMap<>())
          .computeIfAbsent(result.checkpointId(), k -> new Score(new ConcurrentHashMap<>()))
          .bySuite().put(result.suite(), result.accuracy());
    } catch (EventFormatException | IllegalArgumentException e) {
      // Not ours to reject: the gateway dead-letters bad results.
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
