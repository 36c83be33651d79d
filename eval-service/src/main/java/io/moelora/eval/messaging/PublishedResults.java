package io.moelora.eval.messaging;

import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.EvalResult;
import io.moelora.events.Topics;
import io.moelora.messaging.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The (checkpointId, suite) pairs of each job that already have a result on the eval-results topic, read from
 * the whole topic (no consumer group: results of every partition count) and followed from then on.
 * This is what makes results idempotent across crashes and rebalances: a checkpoint read again after
 * a restart, or by a new owner of its partition, gets only its missing suites evaluated.
 *
 * <p>{@link #ready()} turns true once the topic as it was at start has been read; before that nothing
 * may be evaluated. {@link #awaitCaughtUp} reads up to the topic's current end, so results another
 * replica published a moment ago count too.
 */
public final class PublishedResults implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PublishedResults.class);

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Set<String>> suitesByCheckpoint = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<CatchUp> requests = new ConcurrentLinkedQueue<>();
  private final List<CatchUp> waiting = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean ready;

  private record CatchUp(CompletableFuture<Void> done, Map<TopicPartition, Long> target) {}

  public PublishedResults(String bootstrap, String clientId) {
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null, clientId));
    this.thread = new Thread(this::run, "eval-published-results");
    this.thread.setDaemon(true);
  }

  /** Starts reading the results topic from its beginning. */
  public PublishedResults start() {
    thread.start();
    return this;
  }

  /** True once the topic as it was at start has been read. */
  public boolean ready() {
    return ready;
  }

  /** True while the reading thread runs. */
  public boolean alive() {
    return thread.isAlive();
  }

  /** True when a result for ({@code checkpointId}, {@code suite}) of the job is on the topic or was just published. */
  public boolean contains(String jobId, String checkpointId, String suite) {
    return suitesByCheckpoint.getOrDefault(key(jobId, checkpointId), Set.of()).contains(suite);
  }

  /** True when the checkpoint has a result for any suite: it was evaluated, maybe only in part. */
  public boolean containsAny(String jobId, String checkpointId) {
    return !suitesByCheckpoint.getOrDefault(key(jobId, checkpointId), Set.of()).isEmpty();
  }

  /** Records a result this replica has just published, before the topic brings it back. */
  public void add(String jobId, String checkpointId, String suite) {
    suitesByCheckpoint.computeIfAbsent(key(jobId, checkpointId), k -> ConcurrentHashMap.newKeySet()).add(suite);
  }

  // Checkpoint ids are content digests, so two jobs could hold the same one; each job gets its results.
  private static String key(String jobId, String checkpointId) {
    return jobId + '/' + checkpointId;
  }

  /**
   * Reads the topic up to its end as of now.
   *
   * @return false when that did not happen within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) {
    CatchUp request = new CatchUp(new CompletableFuture<>(), new ConcurrentHashMap<>());
    requests.add(request);
    try {
      request.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warnf("Published results did not catch up with %s within %s", Topics.EVAL_RESULTS, timeout);
      return false;
    }
  }

  private void run() {
    try {
      List<TopicPartition> partitions = partitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      CatchUp initial = new CatchUp(new CompletableFuture<>(), consumer.endOffsets(partitions));
      waiting.add(initial);
      initial.done().thenRun(() -> {
        ready = true;
        LOG.infof("Read %d evaluated checkpoints from %s", suitesByCheckpoint.size(), Topics.EVAL_RESULTS);
      });
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          apply(record);
        }
        for (CatchUp r; (r = requests.poll()) != null; ) {
          r.target().putAll(consumer.endOffsets(partitions));
          waiting.add(r);
        }
        waiting.removeIf(r -> {
          boolean caughtUp = r.target().entrySet().stream()
              .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
          if (caughtUp) {
            r.done().complete(null);
          }
          return caughtUp;
        });
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Published results reader stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  // The topic is created by the stack; a service started first waits for it.
  private List<TopicPartition> partitions() {
    while (running) {
      List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVAL_RESULTS, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      }
      LOG.infof("Waiting for topic %s", Topics.EVAL_RESULTS);
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new WakeupException();
  }

  private void apply(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      return;
    }
    try {
      EvalResult result = EventCodec.fromJson(record.value(), EvalResult.class);
      add(result.jobId(), result.checkpointId(), result.suite());
    } catch (EventFormatException e) {
      LOG.debugf("Skipping invalid result %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
          e.getMessage());
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
