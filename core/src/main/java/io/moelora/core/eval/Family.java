package io.moelora.core.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The two suite families; results are averaged per family, and decoding budgets differ by family. */
public enum Family {
    MATH,
    COMMONSENSE;

    /** The name used in the registry data and in reports: {@code math} or {@code commonsense}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Family of(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("family must be math or commonsense, got '" + id + "'"));
    }
}
