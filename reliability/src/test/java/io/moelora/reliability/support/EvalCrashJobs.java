package io.moelora.reliability.support;

import io.moelora.core.eval.SuiteExample;
import io.moelora.core.eval.SyntheticSuites;
import io.moelora.events.AdapterSpec;
import io.moelora.events.AdapterType;
import io.moelora.events.BatchingSpec;
import io.moelora.events.CheckpointPolicy;
import io.moelora.events.Decoding;
import io.moelora.events.EvalSpec;
import io.moelora.events.EventCodec;
import io.moelora.events.EventSchema;
import io.moelora.events.JobSpec;
import io.moelora.events.OptimizerSpec;
import io.moelora.events.TrainingExample;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs for the eval-crash scenario: each gets exactly one checkpoint (the trainer's step-0 baseline),
 * evaluated on both built-in suites. One checkpoint per job keeps the evaluator from replacing a
 * waiting checkpoint with a newer one, so every (checkpoint, suite) pair must end up scored.
 */
public final class EvalCrashJobs {

  /** The suites each checkpoint is scored on. */
  public static final List<String> SUITES = List.of(SyntheticSuites.ADDSUB, SyntheticSuites.CHOICE);

  private EvalCrashJobs() {}

  /**
   * A continuous job with count checkpoints switched off in practice (every 1000 examples, no timer):
   * the first example opens the job, which writes its step-0 checkpoint, and nothing after that.
   * {@code rank} differs per job so no two baselines could share a content digest.
   */
  public static JobSpec spec(String jobId, int rank, int limit) {
    return new JobSpec(EventSchema.CURRENT, jobId, "builtin:tiny",
        new AdapterSpec(AdapterType.MOELORA, rank, 8, 2, 1, List.of("q_proj", "v_proj"), 0.0, 0.1, 0.1, 16, 0.01),
        new OptimizerSpec(1e-3, 0, 0.0), new BatchingSpec(4, 1, 64), new CheckpointPolicy(1000, 0),
        new EvalSpec(SUITES, limit, Decoding.GREEDY), 0L);
  }

  /** {@code count} examples of the built-in choice task for the job, keyed by it. */
  public static List<Map.Entry<String, String>> examples(String jobId, int count) {
    List<SuiteExample> items = SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, 11, count);
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SuiteExample e = items.get(i);
      out.add(new SimpleEntry<>(jobId, EventCodec.toJson(new TrainingExample(EventSchema.CURRENT, jobId,
          jobId + "-" + i, e.instruction(), e.input(), e.output(), "choice"))));
    }
    return out;
  }
}
