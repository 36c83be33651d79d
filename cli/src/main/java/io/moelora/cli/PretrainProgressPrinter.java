package io.moelora.cli;

import io.moelora.core.pretrain.PretrainListener;
import io.moelora.core.pretrain.PretrainOptions;
import io.moelora.core.pretrain.PretrainStep;
import java.io.PrintWriter;

/** Base-model pre-training progress on stderr: a header with the initial loss, then a {@link ProgressBar}. */
final class PretrainProgressPrinter implements PretrainListener {

    private final PrintWriter err;
    private final PretrainOptions options;
    private ProgressBar bar;

    PretrainProgressPrinter(PrintWriter err, PretrainOptions options) {
        this.err = err;
        this.options = options;
    }

    @Override
    public void onStart(int totalSteps, double initialLoss) {
        err.printf("pre-training the tiny base: %d updates of %d windows x %d bytes, lr %.1e, seed %d;"
                + " corpus loss of the initial weights %.4f nats/byte%n", totalSteps, options.batchSize(),
                options.windowLength(), options.lr(), options.seed(), initialLoss);
        err.flush();
        bar = new ProgressBar(err, 0); // the ETA starts with the first update, not with corpus loading
    }

    @Override
    public void onStep(PretrainStep s) {
        bar.draw(s.step(), s.totalSteps(), String.format("loss %.4f lr %.2e %.0f tok/s", s.loss(), s.lr(),
                s.tokensPerSecond()), "", false);
    }
}
