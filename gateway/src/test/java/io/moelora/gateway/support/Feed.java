package io.moelora.gateway.support;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalProgress;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobKeyed;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the trainer and the eval service publish, as they publish it (keyed by jobId, one record per
 * event), so gateway tests can play their part on the real broker without DJL.
 */
public final class Feed {

  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  private final String bootstrap;

  public Feed(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  public static CheckpointPublished checkpoint(String jobId, long step, long examplesSeen) {
    String id = jobId + "-s" + step;
    return new CheckpointPublished(1, jobId, id, step, examplesSeen, "file:///checkpoints/" + jobId + "/" + id,
        sha256(id), AdapterType.MOELORA, 4096, Map.of("loss", 1.5), T0.plusSeconds(step));
  }

  public static EvalResult result(String jobId, String checkpointId, String suite, int correct, int n) {
    return new EvalResult(1, jobId, checkpointId, suite, "1", n, correct, EvalResult.accuracyOf(correct, n),
        suite.endsWith("choice") || suite.equals("boolq") ? "commonsense" : "numeric", Decoding.GREEDY,
        "llm-adapters-1", 25);
  }

  public static JobEvent event(String jobId, JobState state, long step, long examplesSeen) {
    return new JobEvent(1, jobId, state, state.jsonName() + " (test)", step, examplesSeen, null, "trainer",
        T0.plusSeconds(step));
  }

  public static TrainingMetrics metrics(String jobId, long step, double loss) {
    return new TrainingMetrics(1, jobId, step, loss, loss, 0, 0, 1e-4, 100, Map.of(), Map.of(), T0.plusSeconds(step));
  }

  public static EvalProgress progress(String jobId, String checkpointId, EvalProgress.Kind kind) {
    return new EvalProgress(1, jobId, checkpointId, null, kind, 0, 10, kind.name().toLowerCase() + " (test)", T0);
  }

  /** Publishes events in order, each to the topic of its kind. */
  public void publish(JobKeyed... events) throws Exception {
    for (JobKeyed e : events) {
      TestKafkaClients.send(bootstrap, topicOf(e), e.jobId(), EventCodec.toJson((Record) e));
    }
  }

  /** Publishes events of one kind in one batch. */
  public void publishAll(String topic, List<? extends JobKeyed> events) throws Exception {
    TestKafkaClients.sendAll(bootstrap, topic, events.stream()
        .map(e -> Map.entry(e.jobId(), EventCodec.toJson((Record) e))).toList());
  }

  private static String topicOf(JobKeyed e) {
    if (e instanceof CheckpointPublished) {
      return Topics.CHECKPOINTS;
    } else if (e instanceof EvalResult) {
      return Topics.EVAL_RESULTS;
    } else if (e instanceof JobEvent) {
      return Topics.JOB_EVENTS;
    } else if (e instanceof TrainingMetrics) {
      return Topics.TRAINING_METRICS;
    } else if (e instanceof EvalProgress) {
      return Topics.EVAL_PROGRESS;
    }
    throw new IllegalArgumentException("no topic for " + e);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
