package io.tocsin.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;
import io.tocsin.incident.SuppressionReason;

/**
 * The figures over the incidents created in a window, typed: what the {@code metrics} function answers (as
 * {@link #toJson()}), what the dashboard draws and what the daily summary mails. Computed in one place,
 * {@link FigureSums#figures}.
 *
 * @param counts           incidents created in the window (suppressed records excluded) and where they stand now
 * @param mtta             minutes from creation to acknowledgment (or to resolution when never acknowledged)
 * @param mttr             minutes from creation to resolution
 * @param bySeverity       incidents by severity, every severity present (0 when none)
 * @param topSources       the {@link FigureSums#TOP_SOURCES} sources with the most incidents, most first
 * @param suppressed       alerts that opened no incident: duplicates counted into an incident, and maintenance
 * @param escalations      incidents escalated at least once, and the levels raised in all
 * @param deliveryFailures incidents with a PagerDuty event that failed
 */
public record Figures(Instant from, Instant to, Counts counts, Latency mtta, Latency mttr,
        Map<Severity, Long> bySeverity, List<SourceCount> topSources, Suppressed suppressed, Escalations escalations,
        long deliveryFailures) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Figures {
        bySeverity = Map.copyOf(bySeverity);
        topSources = List.copyOf(topSources);
    }

    /** Incidents created in the window: all of them, open now, ever acknowledged, resolved now. */
    public record Counts(long total, long active, long acknowledged, long resolved) {
    }

    /**
     * A duration in minutes over {@code count} incidents: the mean is exact (a sum of milliseconds over a count); p50
     * and p90 are nearest-rank (the value at position ceil(p × n) of the sorted values), exact while the window holds
     * at most {@link LatencyDigest#EXACT_LIMIT} values and otherwise within {@link LatencyDigest#RELATIVE_ERROR} of
     * the exact value. All null when {@code count} is 0. Rounded to two decimals.
     */
    public record Latency(long count, Double mean, Double p50, Double p90, boolean exactPercentiles) {
    }

    public record SourceCount(String source, long count) {
    }

    public record Suppressed(long duplicate, long maintenance) {
    }

    public record Escalations(long incidents, long levelsRaised) {
    }

    /** How many incidents of this severity. */
    public long severity(Severity severity) {
        return bySeverity.getOrDefault(severity, 0L);
    }

    /**
     * The {@code metrics} function's answer (its field names are the API's contract, docs/metrics-and-dashboard.md
     * "Metrics").
     */
    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("total_incidents", counts.total());
        out.put("active_incidents", counts.active());
        out.put("acknowledged_incidents", counts.acknowledged());
        out.put("resolved_incidents", counts.resolved());
        out.set("mtta_minutes", json(mtta));
        out.set("mttr_minutes", json(mttr));
        ObjectNode severities = out.putObject("by_severity");
        for (Severity s : Severity.values()) {
            severities.put(s.wire(), severity(s));
        }
        ObjectNode sources = out.putObject("top_sources");
        topSources.forEach(s -> sources.put(s.source(), s.count()));
        ObjectNode suppressedNode = out.putObject("suppressed");
        suppressedNode.put(SuppressionReason.DUPLICATE.wire(), suppressed.duplicate());
        suppressedNode.put(SuppressionReason.MAINTENANCE.wire(), suppressed.maintenance());
        ObjectNode escalationsNode = out.putObject("escalations");
        escalationsNode.put("incidents", escalations.incidents());
        escalationsNode.put("levels_raised", escalations.levelsRaised());
        out.put("delivery_failures", deliveryFailures);
        return out;
    }

    private static ObjectNode json(Latency latency) {
        ObjectNode node = JSON.createObjectNode();
        node.put("count", latency.count());
        if (latency.count() == 0) {
            node.putNull("mean");
            node.putNull("p50");
            node.putNull("p90");
            return node;
        }
        node.put("mean", latency.mean());
        node.put("p50", latency.p50());
        node.put("p90", latency.p90());
        if (!latency.exactPercentiles()) {
            node.put("percentiles_relative_error", LatencyDigest.RELATIVE_ERROR);
        }
        return node;
    }
}
