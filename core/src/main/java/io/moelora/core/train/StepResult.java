package io.moelora.core.train;

import io.moelora.core.adapter.RoutingStats;
import java.util.List;

/**
 * What one optimizer update did.
 *
 * @param step updates done after this one (1-based), or unchanged when skipped
 * @param loss total loss (LM + β·contrastive + γ·balance), averaged over micro-batches
 * @param lmLoss language-model loss
 * @param contrastiveLoss contrastive expert loss (0 for LoRA)
 * @param balanceLoss load-balancing loss (0 for LoRA)
 * @param lr learning rate used
 * @param gradNorm global gradient norm before clipping
 * @param tokens non-padding tokens processed
 * @param seconds wall time of the update
 * @param skipped true when the loss or a gradient was not finite and the update was skipped
 * @param routing per-module routing statistics (summed over micro-batches)
 */
public record StepResult(
        int step,
        double loss,
        double lmLoss,
        double contrastiveLoss,
        double balanceLoss,
        double lr,
        double gradNorm,
        long tokens,
        double seconds,
        boolean skipped,
        List<RoutingStats> routing) {

    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
