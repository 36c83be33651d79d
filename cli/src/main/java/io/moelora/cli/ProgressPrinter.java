package io.moelora.cli;

import io.moelora.core.train.StepResult;
import io.moelora.core.train.TrainerListener;
import io.moelora.core.train.TrainingProgress;
import java.io.PrintWriter;

/**
 * Training progress on stderr: a bar redrawn in place on a terminal, otherwise about 50 lines per
 * run plus the last step (logs stay readable).
 */
final class ProgressPrinter implements TrainerListener {

    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private final int startStep;

    ProgressPrinter(PrintWriter err, int startStep) {
        this.err = err;
        this.startStep = startStep;
    }

    @Override
    public void onStep(StepResult r, TrainingProgress p) {
        int every = Math.max(1, p.totalSteps() / 50);
        boolean last = p.step() >= p.totalSteps();
        if (!terminal && !last && p.step() % every != 0 && !r.skipped()) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = Math.max(1, p.step() - startStep);
        long eta = Math.round(elapsed / done * Math.max(0, p.totalSteps() - p.step()));
        int width = 20;
        int filled = (int) Math.round(width * (double) p.step() / p.totalSteps());
        String line = String.format("step %d/%d [%s%s] loss %.4f (lm %.4f cl %.4f bal %.4f) lr %.2e %.0f tok/s ETA %dm%02ds%s",
                p.step(), p.totalSteps(), "#".repeat(Math.min(width, filled)), ".".repeat(Math.max(0, width - filled)),
                r.loss(), r.lmLoss(), r.contrastiveLoss(), r.balanceLoss(), r.lr(), r.tokensPerSecond(), eta / 60, eta % 60,
                r.skipped() ? " SKIPPED (non-finite)" : "");
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
