package io.moelora.trainer.service;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.train.TrainingOptions;
import io.moelora.events.AdapterSpec;
import io.moelora.events.AdapterType;
import io.moelora.events.JobSpec;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A job spec translated into the core's configuration. The spec's {@code adapter.rank} is the rank of
 * each expert (recipes read "4 experts × rank 2"), so MoELoRA's total rank is experts × rank and the
 * default scale alpha / (experts · rank) is the LoRA baseline's at equal parameters.
 *
 * @param adapter the adapter to create
 * @param options optimisation settings; the seed is the spec's, else derived from the jobId, so a job's run is
 *     reproducible either way
 */
public record JobPlan(AdapterConfig adapter, TrainingOptions options) {

    /** Gradient-norm clip and consecutive non-finite updates tolerated, the same for every job. */
    static final double MAX_GRAD_NORM = 1.0;
    static final int MAX_BAD_STEPS = 5;

    public static JobPlan of(JobSpec spec) {
        AdapterSpec a = spec.adapter();
        AdapterConfig adapter = a.type() == AdapterType.LORA
                ? AdapterConfig.lora(a.rank(), a.alpha(), a.dropout(), a.targets())
                : AdapterConfig.moelora(a.experts(), a.topK(), a.rank(), a.alpha(), a.dropout(), a.targets(),
                        a.contrastiveWeight(), a.temperature(), a.maxSamples(), a.balanceWeight());
        TrainingOptions options = new TrainingOptions(spec.optimizer().lr(), spec.optimizer().warmupSteps(),
                spec.optimizer().weightDecay(), spec.batching().microBatch(), spec.batching().accumulation(),
                spec.batching().cutoff(), true, MAX_GRAD_NORM, MAX_BAD_STEPS,
                spec.seed() != null ? spec.seed() : seedOf(spec.jobId()));
        return new JobPlan(adapter, options);
    }

    /** A stable seed per job: the same job id always trains the same way. */
    static long seedOf(String jobId) {
        CRC32 crc = new CRC32();
        crc.update(jobId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
