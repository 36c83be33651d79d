package io.moelora.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads a whole topic from its beginning and keeps following it on its own thread, handing every
 * record to a callback: how a service builds state that every replica needs in full (job specs,
 * published results, scores). No consumer group: nothing is committed, nothing is shared. A caller
 * can wait until everything on the topic at that moment has been read ({@link #awaitCaughtUp}).
 */
public final class TopicFollower implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TopicFollower.class);

  private record CatchUp(CompletableFuture<Void> done, Map<TopicPartition, Long> target) {}

  private final String topic;
  private final KafkaConsumer<String, String> consumer;
  private final Consumer<ConsumerRecord<String, String>> handler;
  private final ConcurrentLinkedQueue<CatchUp> requests = new ConcurrentLinkedQueue<>();
  private final List<CatchUp> waiting = new ArrayList<>();
  private final CompletableFuture<Void> initialRead = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** {@code handler} runs on the follower's thread, in offset order per partition. */
  public TopicFollower(String bootstrap, String topic, String clientId, Consumer<ConsumerRecord<String, String>> handler) {
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, null, clientId));
    this.handler = handler;
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  public TopicFollower start() {
    thread.start();
    return this;
  }

  /** True once the topic as it was at start has been read. */
  public boolean ready() {
    return initialRead.isDone();
  }

  /** Runs {@code action} (on the follower's thread) once the topic as it was at start has been read. */
  public void whenReady(Runnable action) {
    initialRead.thenRun(action);
  }

  /** True while the reading thread runs. */
  public boolean alive() {
    return thread.isAlive();
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
      LOG.warnf("Reader of %s did not catch up within %s", topic, timeout);
      return false;
    }
  }

  private void run() {
    try {
      List<TopicPartition> partitions = TopicPartitions.await(consumer, List.of(topic), () -> running);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      waiting.add(new CatchUp(initialRead, consumer.endOffsets(partitions)));
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          try {
            handler.accept(record);
          } catch (RuntimeException e) {
            LOG.warnf("Reader of %s skipped %s-%d@%d: %s", topic, record.topic(), record.partition(), record.offset(), e);
          }
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
      LOG.errorf(e, "Reader of %s stopped", topic);
    } finally {
      consumer.close(Duration.ofSeconds(5));
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
