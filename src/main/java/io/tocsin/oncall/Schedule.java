package io.tocsin.oncall;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Layers, lowest first: where several layers have someone, the later (higher) one wins, as in PagerDuty. Overrides win
 * over every layer. {@code zone} is the IANA zone handoffs and restrictions are read in (unless a layer names its own).
 */
public record Schedule(String id, String name, ZoneId zone, List<Layer> layers, List<ScheduleOverride> overrides) {

    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        layers = List.copyOf(layers);
        overrides = List.copyOf(overrides);
    }
}
