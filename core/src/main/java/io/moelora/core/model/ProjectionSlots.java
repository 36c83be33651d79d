package io.moelora.core.model;

import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named projections of one decoder layer (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj,
 * down_proj). Adapters are injected by replacing a slot with a wrapper around the frozen base.
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

    /** Replaces a slot, e.g. with an adapter wrapping the current projection; returns the old one. */
    public Projection replace(String name, Projection projection) {
        Projection old = get(name);
        if (old.inFeatures() != projection.inFeatures() || old.outFeatures() != projection.outFeatures()) {
            throw new IllegalArgumentException(name + ": replacement maps " + projection.inFeatures() + "->"
                    + projection.outFeatures() + " but the slot maps " + old.inFeatures() + "->" + old.outFeatures());
        }
        slots.put(name, projection);
        return old;
    }

    /** Read-only view in checkpoint order. */
    public Map<String, Projection> asMap() {
        return Collections.unmodifiableMap(slots);
    }
}
