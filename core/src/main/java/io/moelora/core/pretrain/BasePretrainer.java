package io.moelora.core.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.train.AdamW;
import io.moelora.core.train.LanguageModelLoss;
import io.moelora.core.train.LinearWarmupSchedule;
import io.moelora.core.train.TrainingDivergedException;
import java.util.Arrays;
import java.util.Random;

/**
 * Full-weight pre-training of a {@link TrainableBase} on a {@link PretrainCorpus}: byte-level
 * next-token loss over fixed-length windows, AdamW ({@code torch.optim.AdamW} semantics), linear
 * warm-up and decay, global gradient-norm clipping.
 *
 * <p>Every window starts at a document's BOS (as prompts do), chosen by a {@link Random} seeded with
 * {@link PretrainOptions#seed()}, and runs on into the following documents; so the order, and with
 * the deterministic initial weights the result, is a function of the options. Each update runs in its
 * own NDManager and opens the JVM's one {@link GradientCollector} only for its forward and backward.
 */
public final class BasePretrainer {

    private final TrainableBase base;
    private final PretrainCorpus corpus;
    private final PretrainOptions options;

    public BasePretrainer(TrainableBase base, PretrainCorpus corpus, PretrainOptions options) {
        if (options.windowLength() > base.model().config().maxSeqLen()) {
            throw new IllegalArgumentException("windowLength must be <= the model's context "
                    + base.model().config().maxSeqLen() + ", got " + options.windowLength());
        }
        this.base = base;
        this.corpus = corpus;
        this.options = options;
    }

    /**
     * Trains {@link PretrainOptions#steps()} updates, in place on the base's parameters.
     *
     * @throws TrainingDivergedException when a loss or gradient is not finite (nothing is applied)
     */
    public PretrainReport run(PretrainListener listener) {
        LlamaModel model = base.model();
        TokenBatch evalBatch = evaluationBatch();
        double initialLoss = loss(model, evalBatch);
        listener.onStart(options.steps(), initialLoss);
        LinearWarmupSchedule schedule = new LinearWarmupSchedule(options.lr(), options.warmupSteps(), options.steps());
        Random order = new Random(options.seed());
        long start = System.nanoTime();
        double last = Double.NaN;
        try (AdamW optimizer = new AdamW(base.parameters(), 0.9, 0.999, 1e-8, options.weightDecay())) {
            for (int step = 0; step < options.steps(); step++) {
                long stepStart = System.nanoTime();
                TokenBatch batch = trainingBatch(order);
                double loss = forwardBackward(model, batch);
                double norm = optimizer.gradientNorm();
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    optimizer.zeroGradients();
                    throw new TrainingDivergedException("pre-training update " + (step + 1) + " had loss " + loss
                            + " and gradient norm " + norm + "; nothing was applied");
                }
                if (options.maxGradNorm() > 0 && norm > options.maxGradNorm()) {
                    optimizer.scaleGradients(options.maxGradNorm() / (norm + 1e-6));
                }
                double lr = schedule.lr(step);
                optimizer.step(lr);
                last = loss;
                double seconds = (System.nanoTime() - stepStart) / 1e9;
                listener.onStep(new PretrainStep(step + 1, options.steps(), loss, lr, norm,
                        options.tokensPerStep() / Math.max(seconds, 1e-9)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double finalLoss = loss(model, evalBatch);
        return new PretrainReport(initialLoss, finalLoss, last, options.steps(), options.tokensPerStep() * options.steps(),
                seconds);
    }

    /** Mean next-token loss of the model on the fixed evaluation windows of these options (nats per byte). */
    public double evaluationLoss() {
        return loss(base.model(), evaluationBatch());
    }

    private double forwardBackward(LlamaModel model, TokenBatch batch) {
        DjlRuntime.trainingMode();
        try (NDManager m = model.weightsManager().newSubManager();
                GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
            NDArray logits = model.logits(m, batch, null); // (B, T, V)
            NDArray loss = LanguageModelLoss.compute(logits, batch, allTargets(batch)); // ()
            double value = loss.getFloat();
            collector.backward(loss);
            return value;
        } finally {
            DjlRuntime.inferenceMode();
        }
    }

    private static double loss(LlamaModel model, TokenBatch batch) {
        DjlRuntime.inferenceMode();
        try (NDManager m = model.weightsManager().newSubManager()) {
            NDArray logits = model.logits(m, batch, null); // (B, T, V)
            return LanguageModelLoss.compute(logits, batch, allTargets(batch)).getFloat();
        }
    }

    private TokenBatch trainingBatch(Random order) {
        long[][] ids = new long[options.batchSize()][]; // (B, T)
        for (int b = 0; b < ids.length; b++) {
            ids[b] = corpus.window(corpus.documentStart(order.nextInt(corpus.documentCount())), options.windowLength());
        }
        return full(ids);
    }

    /** Windows at evenly spaced documents: the same for every run with these options. */
    private TokenBatch evaluationBatch() {
        long[][] ids = new long[options.evalWindows()][]; // (E, T)
        for (int e = 0; e < ids.length; e++) {
            int document = (int) ((long) e * corpus.documentCount() / ids.length);
            ids[e] = corpus.window(corpus.documentStart(document), options.windowLength());
        }
        return full(ids);
    }

    private static TokenBatch full(long[][] ids) {
        boolean[][] valid = new boolean[ids.length][ids[0].length]; // (B, T): windows have no padding
        for (boolean[] row : valid) {
            Arrays.fill(row, true);
        }
        return new TokenBatch(ids, valid);
    }

    private static boolean[][] allTargets(TokenBatch batch) {
        return batch.valid(); // every token of a window is a target
    }
}
