package io.moelora.eval.messaging;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EventFormatException;
import io.moelora.events.Topics;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.InboundEvents;
import io.moelora.messaging.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads {@code moelora.checkpoints} in group {@value #GROUP} on its own thread, which does no model
 * work and so keeps polling however long an evaluation takes. Malformed and invalid records go to the
 * DLQ; valid ones wait in {@link PendingCheckpoints}, where a newer checkpoint of the same job
 * replaces an older one, which is then recorded as skipped. Offsets are committed by hand and only as
 * far as the {@link CommitLedger} allows, so a crash loses no checkpoint.
 */
public final class CheckpointConsumer implements AutoCloseable {

  /** The consumer group of the eval replicas. */
  public static final String GROUP = "moelora-eval";

  private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, String> consumer;
  private final InboundEvents inbound;
  private final EventPublisher publisher;
  private final PendingCheckpoints pending;
  private final CommitLedger ledger;
  private final PublishedResults results;
  private final CheckpointOutcomes outcomes;
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public CheckpointConsumer(String bootstrap, InboundEvents inbound, EventPublisher publisher,
      PendingCheckpoints pending, CommitLedger ledger, PublishedResults results, CheckpointOutcomes outcomes) {
    this.consumer = new KafkaConsumer<>(KafkaClients.consumer(bootstrap, GROUP, "moelora-eval-checkpoints"));
    this.inbound = inbound;
    this.publisher = publisher;
    this.pending = pending;
    this.ledger = ledger;
    this.results = results;
    this.outcomes = outcomes;
    this.thread = new Thread(this::run, "eval-checkpoints");
    this.thread.setDaemon(true);
  }

  public CheckpointConsumer start() {
    thread.start();
    return this;
  }

  /** True while the polling thread runs. */
  public boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    try {
      // Skipping needs to know what was evaluated before, so nothing is read until that is known.
      if (!waitUntil(results::ready)) {
        return;
      }
      consumer.subscribe(List.of(Topics.CHECKPOINTS), new Rebalance());
      LOG.infof("Consuming %s as group %s", Topics.CHECKPOINTS, GROUP);
      while (running) {
        try {
          pollOnce();
          commit(null);
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // The broker may come back: keep the thread (and readiness) alive and try again.
          LOG.warnf("Checkpoint consumer: %s; retrying", e.toString());
          pause(Duration.ofSeconds(1));
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Checkpoint consumer stopped", e);
    } finally {
      commitOnClose();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void pollOnce() {
    List<CheckpointDelivery> valid = new ArrayList<>();
    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
      int epoch = ledger.opened(new TopicPartition(record.topic(), record.partition()), record.offset());
      try {
        valid.add(new CheckpointDelivery(record, inbound.parse(record, CheckpointPublished.class), epoch));
      } catch (EventFormatException e) {
        deadLetter(record, e.getMessage(), epoch);
      }
    }
    for (PendingCheckpoints.Superseded s : pending.offerAll(valid)) {
      superseded(s);
    }
  }

  private void deadLetter(ConsumerRecord<String, String> record, String reason, int epoch) {
    try {
      publisher.deadLetter(record, reason);
      outcomes.count(CheckpointOutcomes.DEAD_LETTERED);
      ledger.finished(new TopicPartition(record.topic(), record.partition()), record.offset(), epoch);
    } catch (RuntimeException e) {
      // Left open: the commit stays before it, and the record is read again after a restart.
      LOG.errorf("Cannot dead-letter %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.toString());
    }
  }

  private void superseded(PendingCheckpoints.Superseded s) {
    CheckpointDelivery older = s.older();
    CheckpointDelivery newer = s.newer();
    try {
      if (s.duplicate()) {
        LOG.infof("Repeated delivery of %s; evaluated once", older.describe());
      } else if (results.containsAny(older.jobId(), older.checkpointId())) {
        // Read again after a restart: it was evaluated then, so it was not skipped.
        LOG.infof("%s was evaluated before; %s is newer", older.describe(), newer.describe());
        outcomes.count(CheckpointOutcomes.ALREADY_EVALUATED);
      } else {
        publisher.publishAndWait(Topics.EVAL_PROGRESS, EvalProgress.of(older.jobId(), older.checkpointId(), null,
            EvalProgress.Kind.SKIPPED, 0, 0, "skipped: checkpoint " + newer.checkpointId() + " (step "
                + newer.checkpoint().step() + ") of the same job arrived before evaluation started"));
        outcomes.count(CheckpointOutcomes.SKIPPED);
        LOG.infof("Skipped %s: superseded by %s", older.describe(), newer.describe());
      }
      ledger.finished(older);
    } catch (RuntimeException e) {
      LOG.errorf("Cannot record %s as skipped: %s", older.describe(), e.toString());
    }
  }

  private void commitOnClose() {
    // close() wakes the consumer; if no poll consumed that signal yet, the first commit does.
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commit(null);
        return;
      } catch (WakeupException e) {
        // the close signal itself: try once more
      } catch (RuntimeException e) {
        LOG.warnf("Final commit failed: %s", e.toString());
        return;
      }
    }
  }

  /** Commits what the ledger allows, for {@code only} those partitions (null: all). */
  private void commit(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
    ledger.committable().forEach((p, offset) -> {
      if ((only == null || only.contains(p)) && !offset.equals(committed.get(p))) {
        changed.put(p, new OffsetAndMetadata(offset));
      }
    });
    if (changed.isEmpty()) {
      return;
    }
    consumer.commitSync(changed);
    changed.forEach((p, o) -> committed.put(p, o.offset()));
  }

  /** Sleeps until the condition holds or the service stops; true when it holds. */
  private boolean waitUntil(BooleanSupplier condition) {
    while (running && !condition.getAsBoolean()) {
      pause(Duration.ofMillis(50));
    }
    return running;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs inside poll, on this thread. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(partitions);
      } catch (KafkaException e) {
        LOG.warnf("Commit on revocation failed: %s", e.toString());
      }
      forget(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions, "lost");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.infof("Assigned %s", partitions);
      }
    }

    private void forget(Collection<TopicPartition> partitions, String how) {
      if (partitions.isEmpty()) {
        return;
      }
      List<CheckpointDelivery> dropped = pending.drop(partitions);
      ledger.forget(partitions);
      committed.keySet().removeAll(partitions);
      LOG.infof("Partitions %s %s; %d waiting checkpoints left to their new owner", partitions, how, dropped.size());
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
