package io.moelora.core.runtime;

import ai.djl.ndarray.NDArray;

/**
 * Frees intermediate arrays as soon as the code that made them is done with them. An array otherwise
 * lives until its step's manager closes, so a forward pass holds every intermediate at once (hundreds of
 * MB at width 512) and each op writes into memory that has left the caches; freed early, the next
 * op's output reuses a block that was just written. Only the Java reference goes: a tensor autograd
 * saved for the backward stays alive inside libtorch until the backward has used it.
 *
 * <p>Never pass an array made from Java data ({@code manager.create(float[] ...)}): libtorch reads such
 * an array from a Java buffer that only its handle keeps alive, so the backward could read freed memory.
 */
public final class Intermediates {

    private Intermediates() {}

    /** Closes each array; none of them may be used afterwards. */
    public static void free(NDArray... arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }
}
