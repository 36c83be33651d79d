package io.moelora.core.model;

import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named frozen projections of one decoder layer (q_proj, k_proj, v_proj, o_proj, gate_proj,
 * up_proj, down_proj). Read-only: adapters are applied per call through {@link Adapters}.
 */
public final class ProjectionSlots {

    /** Module names in checkpoint order. */
    public static final List<String> NAMES =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    private final Map<String, Projection> slots = new LinkedHashMap<>();

    ProjectionSlots(Map<String, Projection> initial) {
        for (String name : NAMES) {
            Projection p = initial.get(name);
            if (p == null) {
                throw new IllegalArgumentException("missing projection " + name);
            }
            slots.put(name, p);
        }
    }

    /** The projection in slot {@code name}. */
    public Projection get(String name) {
        Projection p = slots.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown module '" + name + "', expected one of " + NAMES);
        }
        return p;
    }

    /** Read-only view in checkpoint order. */
    public Map<String, Projection> asMap() {
        return Collections.unmodifiableMap(slots);
    }
}
