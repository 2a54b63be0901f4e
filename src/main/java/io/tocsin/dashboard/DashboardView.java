package io.tocsin.dashboard;

import java.util.List;

import io.quarkus.qute.RawString;

/**
 * What the dashboard template shows, every value already formatted; the charts are SVG built by {@link SvgChart}
 * from escaped and numeric content only.
 */
public record DashboardView(String generatedAt, int windowDays, String windowLabel, List<Tile> tiles,
        RawString mttaChart, RawString mttrChart, RawString severityChart, List<OpenRow> open, List<HistoryRow> history,
        boolean historyTruncated, int historyLimit, FilterForm filter, List<HeartbeatRow> heartbeats) {

    /** A headline figure. */
    public record Tile(String label, String value, String hint) {
    }

    /** An open incident; the page gives it the anchor {@code incident-<id>}. */
    public record OpenRow(String id, String severity, String status, String source, String title, String createdAt,
            String age, int escalationLevel, String acknowledgedBy) {
    }

    public record HistoryRow(String id, String createdAt, String severity, String status, String source,
            String title, long duplicates, String timeToAcknowledge, String timeToResolve) {
    }

    /** A heartbeat: its last ping ("never" before the first), its deadline, and its state (waiting, overdue, late). */
    public record HeartbeatRow(String name, String lastPing, String due, String state, String incidentId) {
    }

    /** One choice of a select; {@code value} empty means "any". */
    public record Option(String value, String label, boolean selected) {
    }

    /** The history filter form as submitted, and the sources seen in the window (offered as suggestions). */
    public record FilterForm(List<Option> severities, List<Option> statuses, String source, List<String> sources,
            boolean active) {
    }
}
