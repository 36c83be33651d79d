package io.moelora.cli;

import java.io.PrintWriter;

/**
 * A step counter with a bar and an ETA on stderr: redrawn in place on a terminal, otherwise about 50
 * lines per run plus the last step, so logs stay readable.
 */
final class ProgressBar {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private final int startStep;
    private final String unit;

    /** @param startStep the step the run starts from (a resumed run's ETA counts only new steps) */
    ProgressBar(PrintWriter err, int startStep) {
        this(err, startStep, "step");
    }

    /** @param unit what is counted, e.g. "examples" */
    ProgressBar(PrintWriter err, int startStep, String unit) {
        this.err = err;
        this.startStep = startStep;
        this.unit = unit;
    }

    /** True when the bar is redrawn in place (other lines must start with a carriage return). */
    boolean inPlace() {
        return terminal;
    }

    /**
     * Draws {@code "<unit> S/T [####....] <details> ETA 1m05s<suffix>"}.
     *
     * @param always draw even when a non-terminal run would skip this step
     */
    void draw(int step, int total, String details, String suffix, boolean always) {
        int every = Math.max(1, total / 50);
        boolean last = step >= total;
        if (!terminal && !last && step % every != 0 && !always) {
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = Math.max(1, step - startStep);
        long eta = Math.round(elapsed / done * Math.max(0, total - step));
        int filled = (int) Math.round(WIDTH * (double) step / total);
        String line = String.format("%s %d/%d [%s%s] %s ETA %dm%02ds%s", unit, step, total,
                "#".repeat(Math.min(WIDTH, filled)), ".".repeat(Math.max(0, WIDTH - filled)), details, eta / 60, eta % 60,
                suffix);
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
