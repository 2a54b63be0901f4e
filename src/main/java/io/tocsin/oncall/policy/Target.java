package io.tocsin.oncall.policy;

import java.util.Objects;

/** One target of a step; {@code layer} is set only for {@link TargetKind#SCHEDULE_LAYER}. */
public record Target(TargetKind kind, String ref, String layer) {

    public Target {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ref, "ref");
        if ((kind == TargetKind.SCHEDULE_LAYER) != (layer != null)) {
            throw new IllegalArgumentException("a layer is named exactly for schedule-layer targets");
        }
    }

    public static Target of(TargetKind kind, String ref) {
        return new Target(kind, ref, null);
    }

    /** Stable text for idempotency keys: {@code kind:ref[:layer]}. */
    public String key() {
        return kind.wire() + ":" + ref + (layer == null ? "" : ":" + layer);
    }
}
