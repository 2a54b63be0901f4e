package io.tocsin.metrics;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.SuppressionReason;

/**
 * The one place figures are computed: sums and counts over incidents, mergeable (so a stored rollup of closed
 * incidents, the incidents read live and another rollup add up to the figures of their union) and encodable as a
 * rollup item's content. {@link #figures} turns them into {@link Figures}.
 */
public final class FigureSums {

    /** Sources listed in {@link Figures#topSources()}. */
    public static final int TOP_SOURCES = 10;
    /**
     * Distinct sources one stored rollup item (one hour of creations) keeps by name; further ones are counted under
     * {@link #OTHER_SOURCES}. Bounds the item far below DynamoDB's 400 KB item limit (a source is at most 255
     * characters, docs/ingest.md "The ingest API").
     */
    static final int STORED_SOURCE_LIMIT = 200;
    static final String OTHER_SOURCES = "(other sources)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private long total;
    private long active;
    private long acknowledged;
    private long resolved;
    private long duplicates;
    private long maintenance;
    private long escalated;
    private long levelsRaised;
    private long deliveryFailures;
    private final Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
    private final Map<String, Long> bySource = new HashMap<>();
    private final LatencyDigest tta = new LatencyDigest();
    private final LatencyDigest ttr = new LatencyDigest();

    /** Adds one incident (or suppressed record) as it stands. */
    public FigureSums add(Incident incident) {
        if (incident.status() == IncidentStatus.SUPPRESSED) {
            if (incident.suppressedReason() == SuppressionReason.MAINTENANCE) {
                maintenance++;
            }
            return this;
        }
        total++;
        if (incident.status() == IncidentStatus.TRIGGERED || incident.status() == IncidentStatus.ACKNOWLEDGED) {
            active++;
        }
        if (incident.acknowledgedAt() != null) {
            acknowledged++;
        }
        if (incident.status() == IncidentStatus.RESOLVED) {
            resolved++;
        }
        duplicates += incident.duplicateCount();
        if (incident.escalationLevel() > 1) {
            escalated++;
        }
        levelsRaised += Math.max(0, incident.escalationLevel() - 1);
        if (incident.deliveries().values().stream().anyMatch(d -> d.state() == DeliveryState.FAILED)) {
            deliveryFailures++;
        }
        bySeverity.merge(incident.alert().severity(), 1L, Long::sum);
        bySource.merge(incident.alert().source(), 1L, Long::sum);
        tta.add(incident.timeToAcknowledge());
        ttr.add(incident.timeToResolve());
        return this;
    }

    public FigureSums merge(FigureSums other) {
        total += other.total;
        active += other.active;
        acknowledged += other.acknowledged;
        resolved += other.resolved;
        duplicates += other.duplicates;
        maintenance += other.maintenance;
        escalated += other.escalated;
        levelsRaised += other.levelsRaised;
        deliveryFailures += other.deliveryFailures;
        other.bySeverity.forEach((s, n) -> bySeverity.merge(s, n, Long::sum));
        other.bySource.forEach((s, n) -> bySource.merge(s, n, Long::sum));
        tta.merge(other.tta);
        ttr.merge(other.ttr);
        return this;
    }

    /** Incidents counted (suppressed records excluded). */
    public long total() {
        return total;
    }

    public Figures.Latency mtta() {
        return tta.latency();
    }

    public Figures.Latency mttr() {
        return ttr.latency();
    }

    /** Every source with an incident (for suggestions), by name. */
    public List<String> sources() {
        return bySource.keySet().stream().filter(s -> !s.equals(OTHER_SOURCES)).sorted().toList();
    }

    public Figures figures(Instant from, Instant to) {
        Map<Severity, Long> severities = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            severities.put(s, bySeverity.getOrDefault(s, 0L));
        }
        List<Figures.SourceCount> top = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_SOURCES).map(e -> new Figures.SourceCount(e.getKey(), e.getValue())).toList();
        return new Figures(from, to, new Figures.Counts(total, active, acknowledged, resolved), tta.latency(),
                ttr.latency(), severities, top, new Figures.Suppressed(duplicates, maintenance),
                new Figures.Escalations(escalated, levelsRaised), deliveryFailures);
    }

    /** The stored form of a rollup item: compact JSON. */
    String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("total", total).put("active", active).put("ack", acknowledged).put("resolved", resolved)
                .put("dup", duplicates).put("maint", maintenance).put("esc", escalated).put("levels", levelsRaised)
                .put("dlv_failed", deliveryFailures);
        ObjectNode sev = node.putObject("sev");
        bySeverity.forEach((s, n) -> sev.put(s.wire(), n));
        ObjectNode src = node.putObject("src");
        List<Map.Entry<String, Long>> sorted = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        long other = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < STORED_SOURCE_LIMIT && !sorted.get(i).getKey().equals(OTHER_SOURCES)) {
                src.put(sorted.get(i).getKey(), sorted.get(i).getValue());
            } else {
                other += sorted.get(i).getValue();
            }
        }
        if (other > 0) {
            src.put(OTHER_SOURCES, other);
        }
        node.set("tta", tta.toJson(JSON));
        node.set("ttr", ttr.toJson(JSON));
        return node.toString();
    }

    static FigureSums decode(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            FigureSums sums = new FigureSums();
            sums.total = node.path("total").asLong();
            sums.active = node.path("active").asLong();
            sums.acknowledged = node.path("ack").asLong();
            sums.resolved = node.path("resolved").asLong();
            sums.duplicates = node.path("dup").asLong();
            sums.maintenance = node.path("maint").asLong();
            sums.escalated = node.path("esc").asLong();
            sums.levelsRaised = node.path("levels").asLong();
            sums.deliveryFailures = node.path("dlv_failed").asLong();
            node.path("sev").fields().forEachRemaining(e -> Severity.parse(e.getKey())
                    .ifPresent(s -> sums.bySeverity.put(s, e.getValue().asLong())));
            node.path("src").fields().forEachRemaining(e -> sums.bySource.put(e.getKey(), e.getValue().asLong()));
            sums.tta.merge(LatencyDigest.fromJson(node.path("tta")));
            sums.ttr.merge(LatencyDigest.fromJson(node.path("ttr")));
            return sums;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A rollup item does not decode: " + e.getMessage(), e);
        }
    }
}
