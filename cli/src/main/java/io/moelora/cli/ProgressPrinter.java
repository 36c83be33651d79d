package io.moelora.cli;

import io.moelora.core.train.StepResult;
import io.moelora.core.train.TrainerListener;
import io.moelora.core.train.TrainingProgress;
import java.io.PrintWriter;

/** Adapter-training progress on stderr (see {@link ProgressBar}); skipped updates always get a line. */
final class ProgressPrinter implements TrainerListener {

    private final ProgressBar bar;

    ProgressPrinter(PrintWriter err, int startStep) {
        this.bar = new ProgressBar(err, startStep);
    }

    @Override
    public void onStep(StepResult r, TrainingProgress p) {
        String details = String.format("loss %.4f (lm %.4f cl %.4f bal %.4f) lr %.2e %.0f tok/s",
                r.loss(), r.lmLoss(), r.contrastiveLoss(), r.balanceLoss(), r.lr(), r.tokensPerSecond());
        bar.draw(p.step(), p.totalSteps(), details, r.skipped() ? " SKIPPED (non-finite)" : "", r.skipped());
    }
}
