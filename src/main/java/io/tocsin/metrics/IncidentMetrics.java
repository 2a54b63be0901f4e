package io.tocsin.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentHistory;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.SuppressionReason;

/**
 * Figures over the incidents created in a window, read through the {@code by-created} index only (one Query per UTC
 * day, never a Scan): counts, MTTA and MTTR, severities, top sources, suppressions, escalations, delivery failures.
 */
@Singleton
public class IncidentMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TOP_SOURCES = 10;

    private final IncidentHistory history;

    @Inject
    public IncidentMetrics(IncidentHistory history) {
        this.history = history;
    }

    /** Every incident and suppressed record created in [from, to), oldest first. */
    public List<Incident> created(Instant from, Instant to) {
        return history.all(from, to.minusMillis(1));
    }

    public ObjectNode compute(Instant from, Instant to) {
        return summarise(created(from, to), from, to);
    }

    static ObjectNode summarise(List<Incident> incidents, Instant from, Instant to) {
        ObjectNode out = JSON.createObjectNode();
        out.put("from", from.toString());
        out.put("to", to.toString());
        List<Incident> real = incidents.stream().filter(i -> i.status() != IncidentStatus.SUPPRESSED).toList();
        out.put("total_incidents", real.size());
        out.put("active_incidents", real.stream().filter(i -> i.status() == IncidentStatus.TRIGGERED
                || i.status() == IncidentStatus.ACKNOWLEDGED).count());
        out.put("acknowledged_incidents", real.stream().filter(i -> i.acknowledgedAt() != null).count());
        out.put("resolved_incidents", real.stream().filter(i -> i.status() == IncidentStatus.RESOLVED).count());
        List<Double> tta = minutes(real.stream().map(Incident::timeToAcknowledge).toList());
        List<Double> ttr = minutes(real.stream().map(Incident::timeToResolve).toList());
        out.set("mtta_minutes", stats(tta));
        out.set("mttr_minutes", stats(ttr));
        ObjectNode severities = out.putObject("by_severity");
        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            bySeverity.put(s, 0);
        }
        real.forEach(i -> bySeverity.merge(i.alert().severity(), 1, Integer::sum));
        bySeverity.forEach((s, n) -> severities.put(s.wire(), n));
        Map<String, Integer> bySource = new HashMap<>();
        real.forEach(i -> bySource.merge(i.alert().source(), 1, Integer::sum));
        ObjectNode sources = out.putObject("top_sources");
        bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_SOURCES).forEach(e -> sources.put(e.getKey(), e.getValue()));
        ObjectNode suppressed = out.putObject("suppressed");
        suppressed.put(SuppressionReason.DUPLICATE.wire(), real.stream().mapToLong(Incident::duplicateCount).sum());
        suppressed.put(SuppressionReason.MAINTENANCE.wire(), incidents.stream()
                .filter(i -> i.suppressedReason() == SuppressionReason.MAINTENANCE).count());
        ObjectNode escalations = out.putObject("escalations");
        escalations.put("incidents", real.stream().filter(i -> i.escalationLevel() > 1).count());
        escalations.put("levels_raised", real.stream().mapToInt(i -> Math.max(0, i.escalationLevel() - 1)).sum());
        out.put("delivery_failures", real.stream().filter(i -> i.deliveries().values().stream()
                .anyMatch(d -> d.state() == DeliveryState.FAILED)).count());
        return out;
    }

    private static List<Double> minutes(List<Duration> durations) {
        List<Double> values = new ArrayList<>();
        durations.stream().filter(Objects::nonNull).forEach(d -> values.add(d.toMillis() / 60_000.0));
        Collections.sort(values);
        return values;
    }

    /** Mean, p50 and p90 (nearest rank: the value at position ceil(p × n) of the sorted values); nulls when empty. */
    static ObjectNode stats(List<Double> sorted) {
        ObjectNode node = JSON.createObjectNode();
        node.put("count", sorted.size());
        if (sorted.isEmpty()) {
            node.putNull("mean");
            node.putNull("p50");
            node.putNull("p90");
            return node;
        }
        node.put("mean", round(sorted.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        node.put("p50", round(nearestRank(sorted, 0.5)));
        node.put("p90", round(nearestRank(sorted, 0.9)));
        return node;
    }

    static double nearestRank(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

}
