package io.moelora.gateway.view;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalProgress;
import io.moelora.events.JobEvent;
import io.moelora.events.JobSpec;
import io.moelora.events.TrainingMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the gateway knows of one job; mutated by the feed thread only, under {@link Jobs}' lock. */
final class JobEntry {

  final String jobId;
  JobSpec spec;
  boolean deleted;
  JobEvent lastEvent;
  EvalProgress lastEvalProgress;
  long step;
  long examplesSeen;
  Instant updatedAt;
  final Map<String, CheckpointPublished> checkpoints = new LinkedHashMap<>();
  final ArrayDeque<TrainingMetrics> metrics = new ArrayDeque<>();

  JobEntry(String jobId) {
    this.jobId = jobId;
  }

  /** Progress is the furthest any event reported: the trainer's own "accepted" events carry zeros. */
  void progress(long step, long examplesSeen) {
    this.step = Math.max(this.step, step);
    this.examplesSeen = Math.max(this.examplesSeen, examplesSeen);
  }

  void touched(Instant at) {
    if (updatedAt == null || at.isAfter(updatedAt)) {
      updatedAt = at;
    }
  }

  /** deleted, the latest lifecycle state, submitted (a spec and no event yet) or unknown. */
  String state() {
    if (deleted) {
      return "deleted";
    }
    if (lastEvent != null) {
      return lastEvent.state().jsonName();
    }
    return spec != null ? "submitted" : "unknown";
  }
}
