package io.moelora.trainer.stream;

import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.JobDirectory;
import io.moelora.messaging.KafkaClients;
import io.moelora.trainer.train.TrainingLoop;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The consumer thread of the examples topic. It validates each record (bad ones go to the DLQ with
 * a reason), hands good ones to the {@link TrainingLoop}, keeps polling while training runs (so
 * the group never evicts a busy replica; fetching pauses when too much is queued), and commits only
 * what the {@link OffsetLedger} says is inside durable checkpoints. Offsets are never committed on
 * acknowledgement: after a crash the group restarts from the oldest example not yet checkpointed,
 * and each job skips what its latest checkpoint already holds.
 */
public final class ExampleStream implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ExampleStream.class);
  private static final long COMMIT_EVERY_NANOS = 1_000_000_000L;
  private static final Duration JOB_LOOKUP = Duration.ofSeconds(15);

  private record Rewind(String jobId, TopicPartition partition, long offset) {}

  private final KafkaConsumer<String, String> consumer;
  private final JobDirectory jobs;
  private final Function<JobSpec, Optional<String>> jobProblem;
  private final TrainingLoop loop;
  private final OffsetLedger ledger;
  private final EventPublisher publisher;
  private final BiConsumer<String, String> counter;
  private final int maxChars;
  private final int maxQueued;
  private final ConcurrentLinkedQueue<Rewind> rewinds = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long lastCommit = System.nanoTime();
  private boolean paused;

  /**
   * @param jobProblem why a job's spec cannot be trained here (unknown model...), or empty
   * @param counter counts records by (topic, outcome) for metrics
   */
  public ExampleStream(String bootstrap, String groupId, JobDirectory jobs, Function<JobSpec, Optional<String>> jobProblem,
      TrainingLoop loop, OffsetLedger ledger, EventPublisher publisher, BiConsumer<String, String> counter,
      int maxChars, int maxQueued) {
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, groupId, "trainer-examples"));
    this.jobs = jobs;
    this.jobProblem = jobProblem;
    this.loop = loop;
    this.ledger = ledger;
    this.publisher = publisher;
    this.counter = counter;
    this.maxChars = maxChars;
    this.maxQueued = maxQueued;
    this.thread = new Thread(this::run, "example-stream");
    this.thread.setDaemon(true);
  }

  public ExampleStream start() {
    thread.start();
    return this;
  }

  public boolean alive() {
    return thread.isAlive();
  }

  /** Re-read {@code partition} from {@code offset} once the training thread has drained it. */
  public void rewind(String jobId, TopicPartition partition, long offset) {
    rewinds.add(new Rewind(jobId, partition, offset));
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.TRAINING_EXAMPLES), new Rebalance());
      while (running) {
        applyRewinds();
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
        throttle();
        if (System.nanoTime() - lastCommit >= COMMIT_EVERY_NANOS) {
          commit(consumer.assignment());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Example stream stopped", e);
    } finally {
      try {
        commit(consumer.assignment());
      } catch (RuntimeException e) {
        LOG.debugf("Final commit failed: %s", e.getMessage());
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void handle(ConsumerRecord<String, String> record) {
    TopicPartition p = new TopicPartition(record.topic(), record.partition());
    TrainingExample example;
    try {
      if (record.value() == null) {
        throw new EventFormatException("record has no value");
      }
      example = EventCodec.fromJson(record.value(), TrainingExample.class);
      example.requireKey(record.key());
    } catch (EventFormatException e) {
      reject(record, p, e.getMessage());
      return;
    }
    Optional<String> tooBig = ExampleChecks.problem(example, maxChars);
    if (tooBig.isPresent()) {
      reject(record, p, tooBig.get());
      return;
    }
    Optional<JobSpec> spec = jobs.awaitJob(example.jobId(), JOB_LOOKUP);
    if (spec.isEmpty()) {
      reject(record, p, "unknown job '" + example.jobId() + "': no valid spec on " + Topics.JOBS);
      return;
    }
    Optional<String> refused = jobProblem.apply(spec.get());
    if (refused.isPresent()) {
      reject(record, p, "job '" + example.jobId() + "' was rejected: " + refused.get());
      return;
    }
    counter.accept(record.topic(), "valid");
    ledger.handedOver(p, record.offset());
    loop.offer(new Delivery(record, example, spec.get()));
  }

  private void reject(ConsumerRecord<String, String> record, TopicPartition p, String reason) {
    counter.accept(record.topic(), "rejected");
    publisher.deadLetter(record, reason);
    ledger.read(p, record.offset());
  }

  // Bounded read-ahead: training is far slower than fetching.
  private void throttle() {
    boolean full = loop.queued() >= maxQueued;
    if (full && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!full && paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  private void applyRewinds() {
    for (int i = rewinds.size(); i > 0; i--) {
      Rewind r = rewinds.poll();
      if (!consumer.assignment().contains(r.partition())) {
        loop.rewound(r.jobId()); // no longer ours: the new owner reads from the committed offset
      } else if (ledger.drained(r.partition())) {
        consumer.seek(r.partition(), r.offset());
        LOG.infof("Re-reading %s from offset %d for job %s", r.partition(), r.offset(), r.jobId());
        loop.rewound(r.jobId());
      } else {
        rewinds.add(r); // records of the partition still wait for the training thread
      }
    }
  }

  private void commit(Collection<TopicPartition> partitions) {
    lastCommit = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition p : partitions) {
      OptionalLong safe = ledger.committable(p);
      if (safe.isPresent() && safe.getAsLong() > committed.getOrDefault(p, -1L)) {
        offsets.put(p, new OffsetAndMetadata(safe.getAsLong()));
      }
    }
    if (!offsets.isEmpty()) {
      publisher.flush(); // dead letters before the offsets that pass them
      consumer.commitSync(offsets);
      offsets.forEach((p, o) -> committed.put(p, o.offset()));
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(partitions);
      } catch (RuntimeException e) {
        LOG.warnf("Commit before revocation failed: %s", e.getMessage());
      }
      release(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      release(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.infof("Assigned %s", partitions);
      }
      if (paused) {
        consumer.pause(partitions);
      }
    }

    private void release(Collection<TopicPartition> partitions) {
      loop.revoke(partitions);
      partitions.forEach(committed::remove);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
