package io.moelora.core.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a suite's {@code answer} field holds: a number (compared with tolerance) or a label (compared exactly). */
public enum GoldKind {
    NUMBER,
    LABEL;

    /** The name used in the registry data: {@code number} or {@code label}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GoldKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("gold must be number or label, got '" + id + "'"));
    }
}
