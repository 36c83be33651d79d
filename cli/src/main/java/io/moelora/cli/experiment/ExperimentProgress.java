package io.moelora.cli.experiment;

import java.io.PrintWriter;

/** Progress of a whole experiment on stderr: run, step, losses and an ETA over all remaining updates. */
final class ExperimentProgress {

    private final PrintWriter err;
    private final int totalSteps;
    private final int printEvery;
    private final long start = System.nanoTime();
    private int done;

    /**
     * @param runs recipe × seed runs
     * @param steps updates per run
     */
    ExperimentProgress(PrintWriter err, int runs, int steps) {
        this.err = err;
        this.totalSteps = runs * steps;
        this.printEvery = Math.max(1, steps / 10);
    }

    void line(String format, Object... args) {
        err.printf(format + "%n", args);
        err.flush();
    }

    /**
     * {@code "3/12 <unit>, ETA 1m05s"}: the ETA from the elapsed time per unit done so far (pipeline mode counts
     * scored checkpoints, which the stack produces at a steady pace once it runs).
     */
    String overall(int doneUnits, int totalUnits, String unit) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        long eta = doneUnits == 0 ? 0 : Math.round(elapsed / doneUnits * (totalUnits - doneUnits));
        return String.format("%d/%d %s, ETA %dm%02ds", doneUnits, totalUnits, unit, eta / 60, eta % 60);
    }

    /** Counts one update; prints every tenth of a run and the last step. */
    void step(String run, RunResult.Step s, int steps) {
        done++;
        if (s.step() % printEvery != 0 && s.step() != steps && !s.skipped()) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // evaluation time is inside the elapsed time, so the rate already includes its share
        long eta = Math.round(elapsed / done * (totalSteps - done));
        line("%s step %d/%d lm %.4f cl %.4f bal %.4f%s | %d/%d updates, ETA %dm%02ds", run, s.step(), steps,
                s.lmLoss(), s.contrastiveLoss(), s.balanceLoss(), s.skipped() ? " SKIPPED (non-finite)" : "", done,
                totalSteps, eta / 60, eta % 60);
    }
}
