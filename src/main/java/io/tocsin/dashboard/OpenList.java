package io.tocsin.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tocsin.alert.Severity;
import io.tocsin.api.Problem;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.time.Durations;

/**
 * The open incidents as the dashboard lists them: what needs a person first — unacknowledged critical, then the other
 * unacknowledged, then the acknowledged, oldest first within each — the first {@value #SHOWN} with a count of the
 * rest, and filters (severity, status, source prefix) that are links. The page's size does not grow with the number
 * of open incidents beyond the first {@value #SHOWN} (asserted in DashboardBrowserTest, BENCHMARKS.md).
 */
final class OpenList {

    /** Open incidents listed on the page (issue 25: "the first 50 with a count of the rest"). */
    static final int SHOWN = 50;

    /** The open list's filters: query parameters {@code open_severity}, {@code open_status}, {@code open_source}. */
    record Filter(Severity severity, IncidentStatus status, String sourcePrefix) {

        static final Filter NONE = new Filter(null, null, null);

        static Filter parse(Map<String, String> query, List<Problem> problems) {
            Severity severity = null;
            String severityText = blankToNull(query.get("open_severity"));
            if (severityText != null) {
                severity = Severity.parse(severityText).orElse(null);
                if (severity == null) {
                    problems.add(new Problem("open_severity", "'" + severityText + "' is not one of "
                            + Severity.allowed()));
                }
            }
            IncidentStatus status = null;
            String statusText = blankToNull(query.get("open_status"));
            if (statusText != null) {
                status = switch (statusText) {
                    case "triggered" -> IncidentStatus.TRIGGERED;
                    case "acknowledged" -> IncidentStatus.ACKNOWLEDGED;
                    default -> null;
                };
                if (status == null) {
                    problems.add(new Problem("open_status", "'" + statusText
                            + "' is not one of triggered, acknowledged"));
                }
            }
            String prefix = blankToNull(query.get("open_source"));
            if (prefix != null && prefix.length() > DashboardFilter.MAX_SOURCE_CHARS) {
                problems.add(new Problem("open_source", "is " + prefix.length() + " characters; at most "
                        + DashboardFilter.MAX_SOURCE_CHARS + " are accepted"));
                prefix = null;
            }
            return new Filter(severity, status, prefix);
        }

        boolean matches(Incident incident) {
            return (severity == null || incident.alert().severity() == severity)
                    && (status == null || incident.status() == status)
                    && (sourcePrefix == null || incident.alert().source().startsWith(sourcePrefix));
        }

        boolean isEmpty() {
            return severity == null && status == null && sourcePrefix == null;
        }
    }

    /** 0: unacknowledged critical; 1: other unacknowledged; 2: acknowledged. */
    static int urgency(Incident incident) {
        if (incident.status() != IncidentStatus.TRIGGERED) {
            return 2;
        }
        return incident.alert().severity() == Severity.CRITICAL ? 0 : 1;
    }

    /** Most urgent first; oldest first within the same urgency; the id breaks ties so the order is stable. */
    static final Comparator<Incident> ORDER = Comparator.comparingInt(OpenList::urgency)
            .thenComparing(Incident::createdAt).thenComparing(Incident::id);

    private OpenList() {
    }

    /** The section of the page: the first {@value #SHOWN} matching incidents, most urgent first, and the counts. */
    static DashboardView.OpenSection section(List<Incident> open, Filter filter, Instant now, Links links) {
        List<Incident> matching = open.stream().filter(filter::matches).sorted(ORDER).toList();
        List<DashboardView.OpenRow> rows = new ArrayList<>();
        for (Incident i : matching.subList(0, Math.min(SHOWN, matching.size()))) {
            rows.add(new DashboardView.OpenRow(i.id(), i.alert().severity().wire(), i.status().wire(),
                    i.alert().source(), i.alert().title(), DashboardPage.TIME.format(i.createdAt()),
                    Durations.human(Duration.between(i.createdAt(), now)), i.escalationLevel(), i.acknowledgedBy(),
                    links.incident(i.id())));
        }
        long unacknowledgedCritical = open.stream().filter(i -> urgency(i) == 0).count();
        return new DashboardView.OpenSection(rows, open.size(), matching.size(), matching.size() - rows.size(),
                unacknowledgedCritical, severityLinks(filter, links), statusLinks(filter, links),
                filter.sourcePrefix() == null ? "" : filter.sourcePrefix(), !filter.isEmpty(),
                links.open(Filter.NONE), links.keep(new Filter(filter.severity(), filter.status(), null)));
    }

    private static List<DashboardView.Link> severityLinks(Filter filter, Links links) {
        List<DashboardView.Link> out = new ArrayList<>();
        out.add(links.openLink("any severity", new Filter(null, filter.status(), filter.sourcePrefix()),
                filter.severity() == null));
        for (Severity s : Severity.values()) {
            out.add(links.openLink(s.wire(), new Filter(s, filter.status(), filter.sourcePrefix()),
                    s == filter.severity()));
        }
        return out;
    }

    private static List<DashboardView.Link> statusLinks(Filter filter, Links links) {
        List<DashboardView.Link> out = new ArrayList<>();
        out.add(links.openLink("any status", new Filter(filter.severity(), null, filter.sourcePrefix()),
                filter.status() == null));
        for (IncidentStatus s : List.of(IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED)) {
            out.add(links.openLink(s == IncidentStatus.TRIGGERED ? "unacknowledged" : "acknowledged",
                    new Filter(filter.severity(), s, filter.sourcePrefix()), s == filter.status()));
        }
        return out;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
