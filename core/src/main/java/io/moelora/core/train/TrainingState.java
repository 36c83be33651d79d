package io.moelora.core.train;

import java.util.List;
import java.util.Map;

/**
 * Everything besides tensors that a resumed run needs to continue exactly where it stopped. RNG
 * state is the seed: every random draw is derived from (seed, step, micro-batch, module).
 *
 * @param formatVersion version of this record's JSON form
 * @param step optimizer updates done
 * @param examplesSeen examples consumed by those updates
 * @param epoch current epoch (file training)
 * @param cursor position inside the epoch's example order
 * @param seed the run's seed
 * @param baseLr scheduler peak lr
 * @param warmupSteps scheduler warm-up
 * @param totalSteps scheduler horizon
 * @param skippedSteps updates skipped as non-finite
 * @param consecutiveBadSteps current run of non-finite updates
 * @param consumedOffsets next offset to consume per stream partition (e.g. "moelora.training-examples-3")
 * @param lossTail the most recent losses, oldest first
 * @param optimizerFile the file (in the checkpoint) holding the AdamW moments
 * @param rng how every random draw derives from the seed, so a reader knows the state is complete
 * @param exampleChecksum {@link ExampleChecksum} of the ids of every example trained so far (streams),
 *     so a reader can prove none was lost or trained twice; 0 when not tracked
 */
public record TrainingState(
        int formatVersion,
        int step,
        long examplesSeen,
        int epoch,
        int cursor,
        long seed,
        double baseLr,
        int warmupSteps,
        int totalSteps,
        int skippedSteps,
        int consecutiveBadSteps,
        Map<String, Long> consumedOffsets,
        List<Double> lossTail,
        String optimizerFile,
        String rng,
        long exampleChecksum) {

    public static final int FORMAT_VERSION = 1;
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    /** Initialisation, data order, dropout masks and contrastive subsets are pure functions of these. */
    public static final String RNG = "splitmix64(seed, step, micro-batch, layer, module); epoch order java.util.Random(seed*31+epoch)";

    public TrainingState {
        consumedOffsets = Map.copyOf(consumedOffsets);
        lossTail = List.copyOf(lossTail);
    }
}
