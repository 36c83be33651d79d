package io.moelora.core.checkpoint;

/** A checkpoint that cannot be written or must not be trusted: names the directory, file and reason. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
