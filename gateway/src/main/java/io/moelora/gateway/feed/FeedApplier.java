package io.moelora.gateway.feed;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.JobEvent;
import io.moelora.events.JobSpec;
import io.moelora.events.LeaderboardUpdate;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import io.moelora.gateway.board.LeaderboardPublisher;
import io.moelora.gateway.board.Leaderboards;
import io.moelora.gateway.stream.EventKinds;
import io.moelora.gateway.stream.EventLog;
import io.moelora.gateway.view.Jobs;
import io.moelora.messaging.InboundEvents;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Turns each feed record into the views (jobs, boards) and the event stream. Records that are not
 * valid events are counted, dead-lettered the first time this gateway group reads them, and
 * otherwise skipped. Exact repeats of a checkpoint or a result (the trainer re-announces after a
 * crash; results are idempotent) change nothing and are not streamed again.
 */
public final class FeedApplier implements FeedReader.Sink {

  private static final Logger LOG = Logger.getLogger(FeedApplier.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final Jobs jobs;
  private final Leaderboards boards;
  private final EventLog log;
  private final InboundEvents inbound;
  private final BiConsumer<ConsumerRecord<String, String>, String> deadLetters;
  private final LeaderboardPublisher publisher;

  /**
   * @param deadLetters sends a rejected record to its topic's DLQ with the reason
   * @param publisher   publishes changed boards once caught up, or null for a replica that does not
   */
  public FeedApplier(Jobs jobs, Leaderboards boards, EventLog log, InboundEvents inbound,
      BiConsumer<ConsumerRecord<String, String>, String> deadLetters, LeaderboardPublisher publisher) {
    this.jobs = jobs;
    this.boards = boards;
    this.log = log;
    this.inbound = inbound;
    this.deadLetters = deadLetters;
    this.publisher = publisher;
  }

  @Override
  public void started(FeedSlots slots) {
    log.init(slots.size());
  }

  @Override
  public void apply(int slot, ConsumerRecord<String, String> record, boolean firstReading) {
    try {
      if (!applyValid(slot, record)) {
        log.skip(slot, record.offset());
      }
    } catch (EventFormatException e) {
      log.skip(slot, record.offset());
      if (firstReading) {
        deadLetters.accept(record, e.getMessage());
      }
    }
  }

  @Override
  public void batchApplied(boolean caughtUp) {
    if (caughtUp && publisher != null) {
      publisher.publishChanged();
    }
  }

  // True when the record was streamed.
  private boolean applyValid(int slot, ConsumerRecord<String, String> r) {
    Instant at = Instant.ofEpochMilli(r.timestamp());
    switch (r.topic()) {
      case Topics.JOBS -> {
        if (r.value() == null) {
          return tombstone(slot, r, at);
        }
        JobSpec spec = inbound.parse(r, JobSpec.class);
        jobs.spec(spec, at);
        return append(slot, r, EventKinds.JOB, spec.jobId(), null, EventCodec.toJson(spec));
      }
      case Topics.JOB_EVENTS -> {
        JobEvent event = inbound.parse(r, JobEvent.class);
        jobs.event(event, at);
        return append(slot, r, EventKinds.JOB_EVENT, event.jobId(), null, EventCodec.toJson(event));
      }
      case Topics.CHECKPOINTS -> {
        CheckpointPublished checkpoint = inbound.parse(r, CheckpointPublished.class);
        if (!jobs.checkpoint(checkpoint, at)) {
          return false;
        }
        boards.checkpoint(checkpoint);
        return append(slot, r, EventKinds.CHECKPOINT, checkpoint.jobId(), null, EventCodec.toJson(checkpoint));
      }
      case Topics.TRAINING_METRICS -> {
        TrainingMetrics metrics = inbound.parse(r, TrainingMetrics.class);
        jobs.metrics(metrics, at);
        return append(slot, r, EventKinds.METRICS, metrics.jobId(), null, EventCodec.toJson(metrics));
      }
      case Topics.EVAL_RESULTS -> {
        EvalResult result = inbound.parse(r, EvalResult.class);
        if (!boards.result(result)) {
          return false;
        }
        return append(slot, r, EventKinds.EVAL_RESULT, result.jobId(), null, EventCodec.toJson(result));
      }
      case Topics.EVAL_PROGRESS -> {
        EvalProgress progress = inbound.parse(r, EvalProgress.class);
        jobs.evalProgress(progress, at);
        return append(slot, r, EventKinds.EVAL_PROGRESS, progress.jobId(), null, EventCodec.toJson(progress));
      }
      case Topics.LEADERBOARD -> {
        if (r.value() == null) {
          return false;
        }
        LeaderboardUpdate update = leaderboard(r);
        if (publisher != null) {
          publisher.read(update);
        }
        return append(slot, r, EventKinds.LEADERBOARD, null, update.board(), EventCodec.toJson(update));
      }
      default -> {
        return false;
      }
    }
  }

  private boolean append(int slot, ConsumerRecord<String, String> r, String kind, String jobId, String snapshotKey,
      String json) {
    log.append(slot, r.offset(), kind, jobId, snapshotKey, json);
    return true;
  }

  // The jobs topic is compacted: a null value deletes the job.
  private boolean tombstone(int slot, ConsumerRecord<String, String> r, Instant at) {
    inbound.count(r.topic(), "tombstone");
    if (r.key() == null || !ID.matcher(r.key()).matches()) {
      return false;
    }
    jobs.deleted(r.key(), at);
    LOG.debugf("Job %s deleted (tombstone)", r.key());
    return append(slot, r, EventKinds.JOB_DELETED, r.key(), null, "{\"jobId\":\"" + r.key() + "\"}");
  }

  // Not job-keyed, so InboundEvents.parse does not apply; the same checks and counts by hand.
  private LeaderboardUpdate leaderboard(ConsumerRecord<String, String> r) {
    try {
      LeaderboardUpdate update = EventCodec.fromJson(r.value(), LeaderboardUpdate.class);
      if (!update.board().equals(r.key())) {
        throw new EventFormatException("LeaderboardUpdate: record key '" + r.key() + "' must equal board '"
            + update.board() + "'");
      }
      inbound.count(r.topic(), "valid");
      return update;
    } catch (EventFormatException e) {
      inbound.count(r.topic(), "rejected");
      throw e;
    }
  }
}
