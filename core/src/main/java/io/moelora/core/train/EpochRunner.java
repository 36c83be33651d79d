package io.moelora.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Feeds a fixed dataset to an {@link AdapterTrainer} for some epochs or steps, in a seeded order per
 * epoch, and remembers where it is (epoch, cursor) so a checkpoint can resume mid-epoch.
 */
public final class EpochRunner {

    private final List<TokenizedExample> examples;
    private final AdapterTrainer trainer;
    private final int epochs;
    private int epoch;
    private int cursor;
    private List<Integer> order;

    public EpochRunner(List<TokenizedExample> examples, AdapterTrainer trainer, int epochs) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.trainer = trainer;
        this.epochs = epochs;
        this.order = orderOf(0);
    }

    /** Updates needed for {@code epochs} epochs of {@code n} examples in batches of {@code batch}. */
    public static int stepsFor(int n, int batch, int epochs) {
        return ((n + batch - 1) / batch) * epochs;
    }

    /** Continues from a checkpoint position. */
    public void seek(int epoch, int cursor) {
        this.epoch = epoch;
        this.cursor = cursor;
        this.order = orderOf(epoch);
    }

    /** Runs updates until {@code maxSteps} updates are done in total or the epochs are exhausted. */
    public void run(int maxSteps) {
        while (epoch < epochs && trainer.progress().step() < maxSteps) {
            int end = Math.min(order.size(), cursor + trainer.options().batchSize());
            List<TokenizedExample> batch = new ArrayList<>(end - cursor);
            for (int i = cursor; i < end; i++) {
                batch.add(examples.get(order.get(i)));
            }
            cursor = end;
            if (cursor >= order.size()) {
                epoch++;
                cursor = 0;
                order = orderOf(epoch);
            }
            trainer.step(batch);
        }
    }

    public int epoch() {
        return epoch;
    }

    public int cursor() {
        return cursor;
    }

    private List<Integer> orderOf(int e) {
        List<Integer> o = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            o.add(i);
        }
        Collections.shuffle(o, new Random(trainer.options().seed() * 31 + e));
        return o;
    }
}
