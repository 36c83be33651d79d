package io.moelora.cli.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * One seed's experiment on the stack: its jobs (one per recipe), the seed's example stream, and how much
 * of the stream has been pushed.
 *
 * <p>The stream goes out once, through the experiment's fan-out, in chunks that end where the trainer
 * checkpoints, and a chunk is pushed only when every checkpoint so far has every score. The eval service
 * evaluates the newest waiting checkpoint of each job and skips the older ones, so pushing everything at
 * once would leave the middle of the accuracy curve unscored. The first chunk is a single example when an
 * update takes several: it makes the trainer write each job's step-0 checkpoint (the base model's
 * behaviour) without training, so step 0 is scored before the first update can overtake it.
 */
final class SeedFeed {

    private final String experiment;
    private final List<StreamExample> examples; // steps × batch of them
    private final List<PipelineJob> jobs;
    private final int batch;
    private final int evalEvery;
    private int pushed;

    /**
     * @param batch examples per update (the same for every recipe)
     * @param evalEvery updates between checkpoints
     */
    SeedFeed(String experiment, List<StreamExample> examples, List<PipelineJob> jobs, int batch, int evalEvery) {
        this.experiment = experiment;
        this.examples = examples;
        this.jobs = jobs;
        this.batch = batch;
        this.evalEvery = evalEvery;
    }

    String experiment() {
        return experiment;
    }

    List<StreamExample> examples() {
        return examples;
    }

    List<PipelineJob> jobs() {
        return jobs;
    }

    int batch() {
        return batch;
    }

    int pushed() {
        return pushed;
    }

    /** The example counts the trainer checkpoints at: 0, every {@code evalEvery} updates and at the end. */
    List<Long> checkpointCounts() {
        List<Long> out = new ArrayList<>();
        long every = (long) evalEvery * batch;
        for (long c = 0; c < examples.size(); c += every) {
            out.add(c);
        }
        out.add((long) examples.size());
        return out;
    }

    /** The checkpoint counts the examples pushed so far produce. */
    List<Long> due() {
        return checkpointCounts().stream().filter(c -> pushed > 0 && c <= pushed).toList();
    }

    boolean fullyPushed() {
        return pushed == examples.size();
    }

    /** Where the next push ends: one example first when an update takes several, then the next checkpoint. */
    int nextEnd() {
        if (pushed == 0 && batch > 1) {
            return 1;
        }
        return (int) (long) checkpointCounts().stream().filter(c -> c > pushed).findFirst().orElseThrow();
    }

    /** Marks the examples up to {@code end} as pushed. */
    void pushedTo(int end) {
        pushed = end;
    }
}
