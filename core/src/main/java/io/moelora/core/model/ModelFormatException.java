package io.moelora.core.model;

/** A model or tokenizer file that cannot be used: names the file, the tensor and what was expected. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
