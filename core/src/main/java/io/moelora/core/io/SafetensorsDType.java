package io.moelora.core.io;

/** Element types of the safetensors format that this project reads and writes. */
public enum SafetensorsDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    SafetensorsDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    static SafetensorsDType parse(String file, String tensor, String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new io.moelora.core.model.ModelFormatException(
                    file + ": tensor " + tensor + " has unsupported dtype '" + name + "'");
        }
    }
}
