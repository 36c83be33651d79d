package io.moelora.core.train;

/** Too many consecutive updates had a non-finite loss or gradient; nothing non-finite was applied. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
