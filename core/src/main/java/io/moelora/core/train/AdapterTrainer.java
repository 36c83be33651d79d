package io.moelora.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.moelora.core.adapter.AdapterPass;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.adapter.RoutingStats;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.runtime.Intermediates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimizer updates of one adapter on a frozen, shared base model: micro-batches with gradient
 * accumulation, AdamW, the linear warm-up schedule and gradient clipping. A non-finite loss or
 * gradient skips the update (counted); {@code maxBadSteps} in a row stop training. Every micro-batch
 * runs in its own NDManager, so memory stays flat.
 */
public final class AdapterTrainer implements AutoCloseable {

    private static final int LOSS_TAIL = 100;

    private final LlamaModel model;
    private final AdapterSet adapters;
    private final TrainingOptions options;
    private final AdamW optimizer;
    private final LinearWarmupSchedule schedule;
    private final List<TrainerListener> listeners = new ArrayList<>();
    private final Deque<Double> lossTail = new ArrayDeque<>();
    private int step;
    private long examplesSeen;
    private int skipped;
    private int consecutiveBad;

    public AdapterTrainer(LlamaModel model, AdapterSet adapters, TrainingOptions options, int totalSteps) {
        this.model = model;
        this.adapters = adapters;
        this.options = options;
        Map<String, NDArray> params = new LinkedHashMap<>();
        adapters.parameters().forEach((k, p) -> params.put(k, p.value()));
        this.optimizer = new AdamW(params, 0.9, 0.999, 1e-8, options.weightDecay());
        this.schedule = new LinearWarmupSchedule(options.lr(), options.warmupSteps(), totalSteps);
    }

    public AdapterTrainer addListener(TrainerListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * One optimizer update over {@code examples} (at most micro-batch × accumulation of them).
     *
     * @throws TrainingDivergedException after {@code maxBadSteps} consecutive non-finite updates
     */
    public StepResult step(List<TokenizedExample> examples) {
        if (examples.isEmpty() || examples.size() > options.batchSize()) {
            throw new IllegalArgumentException("an update takes 1.." + options.batchSize() + " examples, got " + examples.size());
        }
        long start = System.nanoTime();
        int micros = (examples.size() + options.microBatch() - 1) / options.microBatch();
        double loss = 0;
        double lm = 0;
        double cl = 0;
        double bal = 0;
        long tokens = 0;
        Map<String, RoutingStats> routing = new LinkedHashMap<>();
        for (int i = 0; i < micros; i++) {
            List<TokenizedExample> part = examples.subList(i * options.microBatch(),
                    Math.min(examples.size(), (i + 1) * options.microBatch()));
            TrainingBatch batch = TrainingBatch.collate(part, 0);
            tokens += batch.tokenCount();
            DjlRuntime.trainingMode();
            try (NDManager m = model.weightsManager().newSubManager();
                    GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                AdapterPass pass = adapters.pass(m, batch.tokens(), true, true, seedOf(i));
                NDArray logits = model.logits(m, batch.tokens(), null, pass); // (B, T, V)
                NDArray lmLoss = LanguageModelLoss.compute(logits, batch.tokens(), batch.targets());
                Intermediates.free(logits);
                NDArray clLoss = pass.contrastiveLoss();
                NDArray balLoss = pass.balanceLoss();
                NDArray total = lmLoss
                        .add(clLoss.mul(m.create((float) adapters.config().contrastiveWeight())))
                        .add(balLoss.mul(m.create((float) adapters.config().balanceWeight())));
                lm += lmLoss.getFloat() / micros;
                cl += clLoss.getFloat() / micros;
                bal += balLoss.getFloat() / micros;
                loss += total.getFloat() / micros;
                collector.backward(total.div(m.create((float) micros)));
                pass.routing().forEach(r -> routing.merge(r.key(), r, AdapterTrainer::merge));
            } finally {
                DjlRuntime.inferenceMode();
            }
        }
        double norm = optimizer.gradientNorm();
        double lr = schedule.lr(step);
        examplesSeen += examples.size();
        StepResult result;
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            optimizer.zeroGradients();
            skipped++;
            consecutiveBad++;
            result = new StepResult(step, loss, lm, cl, bal, lr, norm, tokens, seconds(start), true, List.copyOf(routing.values()));
            notifyStep(result);
            if (consecutiveBad >= options.maxBadSteps()) {
                listeners.forEach(l -> l.onDiverged(consecutiveBad, result));
                throw new TrainingDivergedException(consecutiveBad + " consecutive updates had a non-finite loss or"
                        + " gradient (last loss " + loss + ", gradient norm " + norm + ", lr " + lr
                        + "); training stopped and no non-finite values were applied");
            }
            return result;
        }
        if (options.maxGradNorm() > 0 && norm > options.maxGradNorm()) {
            optimizer.scaleGradients(options.maxGradNorm() / (norm + 1e-6));
        }
        optimizer.step(lr);
        if (!optimizer.parametersFinite()) {
            throw new TrainingDivergedException("the update at step " + (step + 1) + " (lr " + lr
                    + ") made adapter parameters non-finite; training stopped (checkpoints refuse non-finite values)");
        }
        step++;
        consecutiveBad = 0;
        lossTail.addLast(loss);
        if (lossTail.size() > LOSS_TAIL) {
            lossTail.removeFirst();
        }
        result = new StepResult(step, loss, lm, cl, bal, lr, norm, tokens, seconds(start), false, List.copyOf(routing.values()));
        notifyStep(result);
        return result;
    }

    private void notifyStep(StepResult result) {
        TrainingProgress progress = progress();
        listeners.forEach(l -> l.onStep(result, progress));
    }

    /** Dropout and subsampling randomness of micro-batch {@code i} of the current update. */
    private long seedOf(int i) {
        return options.seed() * 0x9E3779B97F4A7C15L + (long) step * 4096 + i;
    }

    private static RoutingStats merge(RoutingStats a, RoutingStats b) {
        long[] counts = a.top1Counts().clone();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += b.top1Counts()[i];
        }
        long tokens = a.tokens() + b.tokens();
        double entropy = tokens == 0 ? 0 : (a.meanGateEntropy() * a.tokens() + b.meanGateEntropy() * b.tokens()) / tokens;
        return new RoutingStats(a.layer(), a.module(), counts, entropy, tokens);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    public TrainingProgress progress() {
        return new TrainingProgress(step, schedule.totalSteps(), examplesSeen, skipped);
    }

    public AdapterSet adapters() {
        return adapters;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public TrainingOptions options() {
        return options;
    }

    /** State for a checkpoint; {@code epoch}, {@code cursor} and offsets come from the data source. */
    public TrainingState state(int epoch, int cursor, Map<String, Long> consumedOffsets) {
        return state(epoch, cursor, consumedOffsets, 0L);
    }

    /** State for a checkpoint of a stream, with the {@link ExampleChecksum} of the examples trained. */
    public TrainingState state(int epoch, int cursor, Map<String, Long> consumedOffsets, long exampleChecksum) {
        return new TrainingState(TrainingState.FORMAT_VERSION, step, examplesSeen, epoch, cursor, options.seed(),
                schedule.baseLr(), schedule.warmupSteps(), schedule.totalSteps(), skipped, consecutiveBad,
                consumedOffsets, new ArrayList<>(lossTail), TrainingState.OPTIMIZER_FILE, TrainingState.RNG,
                exampleChecksum);
    }

    /** Continues from a checkpoint's state (the optimizer moments are restored separately). */
    public void restore(TrainingState s) {
        this.step = s.step();
        this.examplesSeen = s.examplesSeen();
        this.skipped = s.skippedSteps();
        this.consecutiveBad = s.consecutiveBadSteps();
        lossTail.clear();
        lossTail.addAll(s.lossTail());
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
