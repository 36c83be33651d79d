package io.moelora.bench;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The jobs the pipeline benchmarks train, all on {@code builtin:tiny} (no file, no download). */
final class BenchJobs {

    /** Examples between checkpoints that never come: only the step-0 baseline and the final one are written. */
    static final int NO_CHECKPOINTS = 1_000_000_000;
    /** The embedded default's job, relative to the repository root. */
    static final String DEMO_JOB = "demo/demo-job.json";

    private BenchJobs() {}

    /**
     * A small MoELoRA job (4 experts of rank 2, top-2, on q/v; batches of 4 examples cut at 64 tokens),
     * a checkpoint every {@code everyExamples} examples, each scored greedily on {@code evalLimit} items
     * of one suite: one suite, so a checkpoint has exactly one result and one evaluation time.
     */
    static JobSpec small(String jobId, int everyExamples, Long maxExamples, int evalLimit) {
        return new JobSpec(1, jobId, "builtin:tiny",
                new AdapterSpec(AdapterType.MOELORA, 2, 8, 4, 2, List.of("q_proj", "v_proj"), 0.0, 0.1, 0.1, 16, 0.01),
                new OptimizerSpec(1e-3, 0, 0.0), new BatchingSpec(4, 1, 64), new CheckpointPolicy(everyExamples, 0),
                new EvalSpec(List.of(SyntheticSuites.CHOICE), evalLimit, Decoding.GREEDY), maxExamples);
    }

    /**
     * The embedded default's demo job (adapter, optimizer, batching) on {@code builtin:tiny}, the same
     * architecture as the pre-trained {@code tiny} it names, so a step costs what it costs there; its
     * suites scored on {@code evalLimit} items each.
     */
    static JobSpec demo(Path repoRoot, String jobId, CheckpointPolicy checkpoint, int evalLimit,
            Long maxExamples, boolean paused) throws IOException {
        JobSpec demo = EventCodec.fromJson(Files.readString(repoRoot.resolve(DEMO_JOB)), JobSpec.class);
        EvalSpec eval = new EvalSpec(demo.eval().suites(), evalLimit, demo.eval().decoding());
        return new JobSpec(1, jobId, "builtin:tiny", demo.adapter(), demo.optimizer(), demo.batching(), checkpoint,
                eval, maxExamples, paused);
    }
}
