package io.moelora.gateway.feed;

import io.moelora.messaging.KafkaClients;
import io.moelora.messaging.TopicPartitions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of the gateway's topics from the beginning, on one thread, and hands each
 * record to a {@link Sink}. A gateway keeps no state of its own: each replica (and each restart)
 * rebuilds its views by reading the topics whole, so all replicas converge on the same views.
 *
 * <p>Partitions are assigned, not subscribed: there is no consumer group membership and no
 * rebalancing. The group id is used for one thing only: the reader commits how far it has read, so
 * that a record this gateway group has already judged (and dead-lettered if invalid) is not sent to
 * the DLQ again by the next restart.
 */
public final class FeedReader implements AutoCloseable {

  /** What the reader feeds; all calls come from the reader's thread. */
  public interface Sink {
    /** Once, before the first record: the partitions and their slots. */
    void started(FeedSlots slots);

    /**
     * One record, in offset order within its partition.
     *
     * @param firstReading true unless this gateway group has read the record before (a restart)
     */
    void apply(int slot, ConsumerRecord<String, String> record, boolean firstReading);

    /** After each poll's records. */
    void batchApplied(boolean caughtUp);
  }

  private static final Logger LOG = Logger.getLogger(FeedReader.class);

  private record Waiter(TopicPartition partition, long offset, CompletableFuture<Void> done) {}

  private final KafkaConsumer<String, String> consumer;
  private final Sink sink;
  private final Thread thread;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile boolean caughtUp;

  public FeedReader(String bootstrap, String groupId, String clientId, Sink sink) {
    Properties props = KafkaClients.consumer(bootstrap, groupId, clientId);
    // Start-up replays whole topics: larger batches make it faster.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    this.consumer = new KafkaConsumer<>(props);
    this.sink = sink;
    this.thread = new Thread(this::run, "gateway-feed");
    this.thread.setDaemon(true);
  }

  public FeedReader start() {
    thread.start();
    return this;
  }

  /** True once every partition has been read up to where it ended when the reader started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  public boolean alive() {
    return thread.isAlive();
  }

  /**
   * Waits until the record at {@code offset} of the partition has been applied, so that a client
   * who wrote it can read it back from the views (read-your-writes).
   *
   * @return false when that did not happen within {@code timeout}
   */
  public boolean awaitApplied(String topic, int partition, long offset, Duration timeout) {
    TopicPartition tp = new TopicPartition(topic, partition);
    if (positions.getOrDefault(tp, 0L) > offset) {
      return true;
    }
    Waiter waiter = new Waiter(tp, offset, new CompletableFuture<>());
    waiters.add(waiter);
    try {
      if (positions.getOrDefault(tp, 0L) > offset) {
        return true;
      }
      waiter.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } finally {
      waiters.remove(waiter);
    }
  }

  private void run() {
    try {
      FeedSlots slots = new FeedSlots(TopicPartitions.await(consumer, FeedSlots.TOPICS, () -> running));
      List<TopicPartition> all = slots.partitions();
      sink.started(slots);
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> end = consumer.endOffsets(all);
      Map<TopicPartition, Long> judged = new HashMap<>();
      consumer.committed(new HashSet<>(all)).forEach((tp, committed) -> {
        if (committed != null) {
          judged.put(tp, committed.offset());
        }
      });
      LOG.infof("Reading %d partitions of %s from the beginning", all.size(), FeedSlots.TOPICS);
      Map<TopicPartition, Long> committedNow = new HashMap<>(judged);
      while (running) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> record : records) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          try {
            sink.apply(slots.slot(tp), record, record.offset() >= judged.getOrDefault(tp, 0L));
          } catch (RuntimeException e) {
            // A bug in one view must not stop the feed for every client.
            LOG.errorf(e, "Could not apply %s-%d@%d", record.topic(), record.partition(), record.offset());
          }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : all) {
          long position = consumer.position(tp);
          positions.put(tp, position);
          if (position > committedNow.getOrDefault(tp, 0L)) {
            commit.put(tp, new OffsetAndMetadata(position));
            committedNow.put(tp, position);
          }
        }
        if (!caughtUp && all.stream().allMatch(tp -> positions.get(tp) >= end.getOrDefault(tp, 0L))) {
          caughtUp = true;
          LOG.infof("Views rebuilt from the topics; following live");
        }
        sink.batchApplied(caughtUp);
        wakeWaiters();
        if (!commit.isEmpty()) {
          consumer.commitAsync(commit, (offsets, e) -> {
            if (e != null) {
              LOG.debugf("Could not record the gateway's read position: %s", e.getMessage());
            }
          });
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Gateway feed stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void wakeWaiters() {
    for (Waiter w : waiters) {
      if (positions.getOrDefault(w.partition(), 0L) > w.offset()) {
        w.done().complete(null);
      }
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
