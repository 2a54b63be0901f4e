package io.tocsin.dashboard;

import java.util.List;

import io.quarkus.qute.RawString;

/**
 * What the dashboard template shows, every value already formatted; the charts are SVG built by {@link SvgChart}
 * from escaped and numeric content only.
 */
public record DashboardView(String generatedAt, int windowDays, String windowLabel, List<Tile> tiles,
        RawString mttaChart, RawString mttrChart, RawString severityChart, OpenSection open, List<HistoryRow> history,
        boolean historyTruncated, int historyLimit, FilterForm filter, List<HeartbeatRow> heartbeats, Nav nav,
        OnCall onCall) {

    /** "On call now and next": a row per schedule, or none and the {@code note} (not configured, unreadable). */
    public record OnCall(List<OnCallRow> rows, String note) {
    }

    /** A schedule's person on call now (until when) and next (from when); "no one" where a layer leaves a gap. */
    public record OnCallRow(String schedule, String now, String until, String next, String from) {
    }

    /**
     * How the page is served: in a browser (links are URLs) or in a CloudWatch custom widget (links are
     * {@code <cwdb-action>} calls of {@code endpoint}, see {@link Links}); {@code onCall}: the on-call slot's text when it has no rows;
     * {@code dark}: the dark theme whatever {@code prefers-color-scheme} says (a widget in the console's dark theme).
     */
    public record Nav(boolean widget, String endpoint, String onCall, boolean dark) {
    }

    /** A link: {@code href} in a browser, {@code params} (JSON for a {@code <cwdb-action>}) in a widget. */
    public record Link(String label, String href, String params, boolean current) {
    }

    /**
     * The open incidents: {@code rows} the first {@link OpenList#SHOWN} matching the filter, most urgent first;
     * {@code total} open, {@code matching} the filter, {@code hidden} matching but not listed.
     */
    public record OpenSection(List<OpenRow> rows, int total, int matching, int hidden, long unacknowledgedCritical,
            List<Link> severities, List<Link> statuses, String sourcePrefix, boolean filtered, Link all,
            List<Param> keep) {
    }

    /** A query parameter the source-prefix form keeps (the other filters in force). */
    public record Param(String name, String value) {
    }

    /** A headline figure. */
    public record Tile(String label, String value, String hint) {
    }

    /** An open incident; the page gives it the anchor {@code incident-<id>}. */
    public record OpenRow(String id, String severity, String status, String source, String title, String createdAt,
            String age, int escalationLevel, String acknowledgedBy, Link link) {
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
