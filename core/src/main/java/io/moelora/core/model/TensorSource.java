package io.moelora.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;

/** Named checkpoint tensors in Hugging Face Llama naming, whatever file format they came from. */
public interface TensorSource {

    /** The file(s) behind this source, for error messages. */
    String describe();

    /** The stored shape of {@code name}, or empty when the checkpoint lacks it. */
    Optional<long[]> shapeOf(String name);

    /** Loads {@code name} as float32 into {@code manager}. */
    NDArray load(String name, NDManager manager);
}
