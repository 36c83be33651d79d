package io.moelora.core.model;

/** How a checkpoint pairs the dimensions that rotary embeddings rotate together. */
public enum RopeLayout {
    /** llama2.c / original Meta: pairs (2j, 2j+1) share frequency j. */
    INTERLEAVED,
    /** Hugging Face "rotate_half": pairs (j, j + headDim/2) share frequency j. */
    HALF;

    /** Parses "interleaved" or "half" (case-insensitive). */
    public static RopeLayout parse(String name) {
        for (RopeLayout layout : values()) {
            if (layout.name().equalsIgnoreCase(name)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("rope_layout must be one of [interleaved, half], got '" + name + "'");
    }
}
