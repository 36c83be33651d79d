package io.moelora.core.adapter;

import io.moelora.core.adapter.lora.LoraType;
import io.moelora.core.adapter.moelora.MoeLoraType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Adapter types by name. Adding a type: one new package and one entry in {@link #TYPES}. */
public final class AdapterRegistry {

    private static final List<AdapterType> TYPES = List.of(new LoraType(), new MoeLoraType());

    private static final Map<String, AdapterType> BY_NAME =
            TYPES.stream().collect(Collectors.toUnmodifiableMap(AdapterType::name, Function.identity()));

    private AdapterRegistry() {}

    /** The type named {@code name} (case-insensitive). */
    public static AdapterType get(String name) {
        AdapterType t = BY_NAME.get(name.toLowerCase(java.util.Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("unknown adapter type '" + name + "', expected one of " + names());
        }
        return t;
    }

    /** The type whose checkpoint {@code peft_type} is {@code peftType}. */
    public static AdapterType byPeftType(String peftType) {
        return TYPES.stream().filter(t -> t.peftType().equals(peftType)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown peft_type '" + peftType + "', expected one of "
                        + TYPES.stream().map(AdapterType::peftType).toList()));
    }

    public static List<String> names() {
        return TYPES.stream().map(AdapterType::name).toList();
    }
}
