package io.moelora.cli.experiment;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.train.TrainingOptions;
import io.moelora.events.AdapterSpec;
import io.moelora.events.AdapterType;
import io.moelora.events.JobSpec;
import java.util.List;

/**
 * A recipe as the core trains it. The translation is the trainer service's: the spec's
 * {@code adapter.rank} is the rank of each expert, so MoELoRA's total rank is experts × rank and its
 * default scale alpha / (experts · rank) is the LoRA baseline's at equal parameters. Only the seed
 * differs: the service derives it from the job id, an experiment sets it per replicate.
 *
 * @param name the recipe's name (its file name without the ending)
 * @param spec the loaded, validated job spec
 * @param adapter the adapter to create
 */
record RecipeRun(String name, JobSpec spec, AdapterConfig adapter) {

    /** The trainer service's gradient-norm clip and tolerated consecutive non-finite updates. */
    static final double MAX_GRAD_NORM = 1.0;
    static final int MAX_BAD_STEPS = 5;

    static RecipeRun of(String name, JobSpec spec) {
        AdapterSpec a = spec.adapter();
        AdapterConfig adapter = a.type() == AdapterType.LORA
                ? AdapterConfig.lora(a.rank(), a.alpha(), a.dropout(), a.targets())
                : AdapterConfig.moelora(a.experts(), a.topK(), a.rank(), a.alpha(), a.dropout(), a.targets(),
                        a.contrastiveWeight(), a.temperature(), a.maxSamples(), a.balanceWeight());
        return new RecipeRun(name, spec, adapter);
    }

    /** Optimisation settings of one replicate: the seed drives init, dropout and contrastive subsets. */
    TrainingOptions options(long seed) {
        return new TrainingOptions(spec.optimizer().lr(), spec.optimizer().warmupSteps(),
                spec.optimizer().weightDecay(), spec.batching().microBatch(), spec.batching().accumulation(),
                spec.batching().cutoff(), true, MAX_GRAD_NORM, MAX_BAD_STEPS, seed);
    }

    /**
     * The examples per update every recipe takes: they must agree, or one example stream would not line up
     * the recipes' updates and checkpoints.
     */
    static int commonBatchSize(List<RecipeRun> recipes) {
        int batch = recipes.get(0).batchSize();
        for (RecipeRun r : recipes) {
            if (r.batchSize() != batch) {
                throw new IllegalArgumentException("recipes must train on the same number of examples per update: "
                        + recipes.get(0).name() + " takes " + batch + ", " + r.name() + " takes " + r.batchSize()
                        + " (microBatch × accumulation; align them with --set batching.accumulation=...)");
            }
        }
        return batch;
    }

    /** Examples per optimizer update. */
    int batchSize() {
        return spec.batching().examplesPerStep();
    }

    boolean routed() {
        return adapter.type().equals("moelora");
    }

    /** A short description for tables, e.g. {@code moelora 4×2 top-2, β 0.1, γ 0.01}. */
    String describe() {
        AdapterConfig c = adapter;
        if (!routed()) {
            return String.format("lora r %d, alpha %s", c.rank(), trim(c.alpha()));
        }
        return String.format("moelora %d×%d top-%d, β %s, γ %s", c.experts(), c.expertRank(), c.topK(),
                trim(c.contrastiveWeight()), trim(c.balanceWeight()));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
