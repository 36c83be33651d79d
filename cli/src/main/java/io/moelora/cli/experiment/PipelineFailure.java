package io.moelora.cli.experiment;

/**
 * Why a pipeline experiment stopped without a report: a job failed, was rejected or diverged, the stack
 * lost a checkpoint's scores, or the time ran out. The jobs stay on the stack either way.
 */
final class PipelineFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A job or the stack failed (the code of the CLI's other errors). */
    static final int FAILED = 2;
    /** {@code --timeout} ran out (the code {@code watch} and {@code follow} time out with). */
    static final int TIMED_OUT = 4;

    private final int exitCode;

    PipelineFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
