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
import io.moelora.events.JobSpec;
import io.moelora.events.OptimizerSpec;
import io.moelora.events.TrainingExample;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jobs the crash, broker-restart and divergence scenarios train on {@code builtin:tiny}, and
 * their examples with known ids, so the examples trained can be checked against those produced.
 */
public final class CrashJobs {

  private CrashJobs() {}

  /**
   * A small MoELoRA job (2 experts of rank 2, batches of 4), a checkpoint every {@code every}
   * examples only (no timer: checkpoints then fall on the same examples in every run), evaluated
   * greedily on {@code evalLimit} items of the choice suite.
   */
  public static JobSpec small(String jobId, int every, long maxExamples, int evalLimit) {
    return new JobSpec(1, jobId, "builtin:tiny",
        new AdapterSpec(AdapterType.MOELORA, 2, 8, 2, 1, List.of("q_proj", "v_proj"), 0.0, 0.1, 0.1, 16, 0.01),
        new OptimizerSpec(1e-3, 0, 0.0), new BatchingSpec(4, 1, 64), new CheckpointPolicy(every, 0),
        new EvalSpec(List.of(SyntheticSuites.CHOICE), evalLimit, Decoding.GREEDY), maxExamples);
  }

  /** The same job with another optimizer and adapter: how a user drives it somewhere absurd but valid. */
  public static JobSpec withTraining(JobSpec spec, OptimizerSpec optimizer, AdapterSpec adapter) {
    return new JobSpec(spec.schemaVersion(), spec.jobId(), spec.baseModel(), adapter, optimizer, spec.batching(),
        spec.checkpoint(), spec.eval(), spec.maxExamples());
  }

  /** {@code count} examples of the built-in choice task with ids {@code prefix-i}, keyed by job. */
  public static List<Map.Entry<String, String>> examples(String jobId, String prefix, int from, int count) {
    List<SuiteExample> items = SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, 7, from + count);
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      SuiteExample e = items.get(i);
      out.add(new SimpleEntry<>(jobId, EventCodec.toJson(
          new TrainingExample(jobId, prefix + "-" + i, e.instruction(), e.input(), e.output(), "choice"))));
    }
    return out;
  }

  /** The ids {@code prefix-from} .. {@code prefix-(from+count-1)}. */
  public static List<String> ids(String prefix, int from, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }
}
