package io.moelora.cli.experiment;

import java.util.List;
import java.util.Map;

/**
 * What one recipe × seed run produced.
 *
 * @param recipe the recipe's name
 * @param seed the replicate's seed (adapter and router init, dropout, contrastive subsets, data stream)
 * @param exampleIds the ids of the examples trained, in the order the trainer received them
 * @param steps one record per optimizer update
 * @param evals accuracy per suite at step 0 and every evaluation step, in step order
 * @param routing per module, the top-1 histogram per task after training (empty for LoRA)
 * @param trainSeconds wall time of the updates
 * @param evalSeconds wall time of the evaluations and the routing probe
 */
record RunResult(String recipe, long seed, List<String> exampleIds, List<Step> steps, List<Eval> evals,
        List<ModuleRouting> routing, double trainSeconds, double evalSeconds) {

    /**
     * One optimizer update.
     *
     * @param gateEntropy token-weighted mean gate entropy (nats) over the adapted modules; 0 for LoRA
     * @param skipped the loss or a gradient was not finite and the update was not applied
     */
    record Step(int step, double loss, double lmLoss, double contrastiveLoss, double balanceLoss, double gateEntropy,
            boolean skipped) {}

    /**
     * Accuracy (percent) per suite at one step.
     */
    record Eval(int step, Map<String, Double> accuracy) {

        /** The unweighted mean over suites. */
        double average() {
            return accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }
    }

    /** The last evaluation (at the final step). */
    Eval last() {
        return evals.get(evals.size() - 1);
    }
}
