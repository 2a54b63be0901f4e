package io.tocsin.dashboard;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tocsin.alert.Severity;
import io.tocsin.api.Problem;
import io.tocsin.incident.IncidentStatus;

/**
 * The history filters of the dashboard, from its query parameters: {@code severity} (one), {@code status} (one or
 * several, comma-separated), {@code source} (exact). An empty parameter means "any", as the page's own form sends.
 */
public record DashboardFilter(Severity severity, Set<IncidentStatus> statuses, String source) {

    /** The longest source an alert may have (ingest's limit, docs/ingest.md "The ingest API"). */
    static final int MAX_SOURCE_CHARS = 255;

    public static final DashboardFilter NONE = new DashboardFilter(null, Set.of(), null);

    public DashboardFilter {
        statuses = Set.copyOf(statuses);
    }

    /** The filters in {@code query}; each bad value adds a problem naming its parameter. */
    public static DashboardFilter parse(Map<String, String> query, List<Problem> problems) {
        Severity severity = null;
        String severityText = blankToNull(query.get("severity"));
        if (severityText != null) {
            severity = Severity.parse(severityText).orElse(null);
            if (severity == null) {
                problems.add(new Problem("severity", "'" + severityText + "' is not one of " + Severity.allowed()));
            }
        }
        Set<IncidentStatus> statuses = EnumSet.noneOf(IncidentStatus.class);
        String statusText = blankToNull(query.get("status"));
        if (statusText != null) {
            for (String name : statusText.split(",")) {
                try {
                    statuses.add(IncidentStatus.fromWire(name.trim()));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("status", "'" + name.trim()
                            + "' is not one of triggered, acknowledged, resolved, suppressed"));
                }
            }
        }
        String source = blankToNull(query.get("source"));
        if (source != null && source.length() > MAX_SOURCE_CHARS) {
            problems.add(new Problem("source", "is " + source.length() + " characters; at most " + MAX_SOURCE_CHARS
                    + " are accepted"));
            source = null;
        }
        return new DashboardFilter(severity, statuses, source);
    }

    public boolean isEmpty() {
        return severity == null && statuses.isEmpty() && source == null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
