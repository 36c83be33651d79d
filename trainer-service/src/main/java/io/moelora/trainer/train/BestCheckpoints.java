package io.moelora.trainer.train;

import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.Topics;
import io.moelora.messaging.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The best checkpoint of each job by evaluation score (mean accuracy over the suites reported for
 * it), read from the eval results topic, so retention never deletes it.
 */
public final class BestCheckpoints implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BestCheckpoints.class);

  /** Accuracy sum and suite count of one checkpoint; results are deduplicated by suite. */
  private record Score(Map<String, Double> bySuite) {
    double mean() {
      return bySuite.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Map<String, Score>> scores = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public BestCheckpoints(String bootstrap) {
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null, "trainer-eval-results"));
    this.thread = new Thread(this::run, "best-checkpoints");
    this.thread.setDaemon(true);
  }

  public BestCheckpoints start() {
    thread.start();
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

  private void run() {
    try {
      List<TopicPartition> partitions = null;
      while (running && partitions == null) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVAL_RESULTS, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        } else {
          Thread.sleep(1000);
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          add(r);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Best-checkpoint reader stopped; retention keeps only the newest checkpoints", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void add(ConsumerRecord<String, String> r) {
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
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
