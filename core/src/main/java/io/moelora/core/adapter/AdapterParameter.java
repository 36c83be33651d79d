package io.moelora.core.adapter;

import ai.djl.ndarray.NDArray;

/**
 * One trainable tensor of an adapter module.
 *
 * @param suffix checkpoint name after the module path, e.g. {@code lora_A.weight}
 * @param value the tensor in compute layout (requires gradient)
 * @param peftShape its shape in the checkpoint
 * @param layout how compute and checkpoint layouts relate
 * @param router whether it belongs to a router (reported separately in parameter counts)
 */
public record AdapterParameter(String suffix, NDArray value, long[] peftShape, PeftLayout layout, boolean router) {

    /** Number of scalars. */
    public long size() {
        long n = 1;
        for (long s : peftShape) {
            n *= s;
        }
        return n;
    }
}
