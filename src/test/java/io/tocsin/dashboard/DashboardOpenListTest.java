package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;
import io.tocsin.api.Problem;
import io.tocsin.incident.IncidentStatus;

/** The open list's order, limit, filters and links, without the application (plain records in, rows out). */
class DashboardOpenListTest {

    static final Instant NOW = Instant.parse("2036-06-01T12:00:00Z");

    /** An open incident created {@code minutesAgo} before {@link #NOW}, with a hostile 1,024-character title. */
    static Incident open(int n, Severity severity, IncidentStatus status, int minutesAgo, String source) {
        Alert alert = new Alert(severity, ("incident " + n + " ").repeat(200).substring(0, 1024), "d", source,
                new ObjectMapper().createObjectNode(), "key-" + n, true, null, NOW.minusSeconds(60L * minutesAgo));
        Instant created = NOW.minus(Duration.ofMinutes(minutesAgo));
        boolean acked = status == IncidentStatus.ACKNOWLEDGED;
        return new Incident("id-" + n, alert, status, created, 0, created, List.of(), 1, null, null, null,
                acked ? created.plusSeconds(60) : null, acked ? "alice" : null, null, null, null, List.of(), 1, null);
    }

    /** 1,000 open: of every severity and both statuses, ages spread; returns them in creation order. */
    static List<Incident> thousand(String source) {
        List<Incident> all = new ArrayList<>();
        Severity[] severities = Severity.values();
        for (int n = 0; n < 1000; n++) {
            IncidentStatus status = n % 3 == 0 ? IncidentStatus.ACKNOWLEDGED : IncidentStatus.TRIGGERED;
            all.add(open(n, severities[n % severities.length], status, 10_000 - n, source + n));
        }
        return all;
    }

    @Test
    void theOldestUnacknowledgedCriticalComesFirstThenTheOtherUnacknowledgedThenTheAcknowledged() {
        List<Incident> open = new ArrayList<>(List.of(
                open(1, Severity.HIGH, IncidentStatus.TRIGGERED, 900, "a"),
                open(2, Severity.CRITICAL, IncidentStatus.ACKNOWLEDGED, 800, "a"),
                open(3, Severity.CRITICAL, IncidentStatus.TRIGGERED, 30, "a"),
                open(4, Severity.CRITICAL, IncidentStatus.TRIGGERED, 60, "a"),
                open(5, Severity.LOW, IncidentStatus.TRIGGERED, 5, "a")));
        var section = OpenList.section(open, OpenList.Filter.NONE, NOW, Links.browser(DashboardFilter.NONE));
        assertEquals(List.of("id-4", "id-3", "id-1", "id-5", "id-2"),
                section.rows().stream().map(DashboardView.OpenRow::id).toList());
        assertEquals(2, section.unacknowledgedCritical());
        assertEquals("?incident=id-4", section.rows().get(0).link().href());
    }

    @Test
    void theFirstFiftyAreListedAndTheRestCounted() {
        List<Incident> open = thousand("svc-");
        var section = OpenList.section(open, OpenList.Filter.NONE, NOW, Links.browser(DashboardFilter.NONE));
        assertEquals(OpenList.SHOWN, section.rows().size());
        assertEquals(1000, section.total());
        assertEquals(950, section.hidden());
        Incident oldestUnackedCritical = open.stream().filter(i -> i.alert().severity() == Severity.CRITICAL
                && i.status() == IncidentStatus.TRIGGERED).findFirst().orElseThrow();
        assertEquals(oldestUnackedCritical.id(), section.rows().get(0).id());
        // 167 of the 1,000 are unacknowledged critical: they fill the first 50, oldest first
        assertTrue(section.rows().stream().allMatch(r -> r.severity().equals("critical")
                && r.status().equals("triggered")), "unacknowledged critical first");
        List<String> created = section.rows().stream().map(DashboardView.OpenRow::createdAt).toList();
        assertEquals(created.stream().sorted().toList(), created, "oldest first");
    }

    @Test
    void filtersAreLinksThatKeepTheOtherFilters() {
        List<Problem> problems = new ArrayList<>();
        OpenList.Filter filter = OpenList.Filter.parse(Map.of("open_severity", "critical", "open_source", "svc-1"),
                problems);
        assertEquals(List.of(), problems);
        DashboardFilter history = DashboardFilter.parse(Map.of("source", "a b"), problems);
        var section = OpenList.section(thousand("svc-"), filter, NOW, Links.browser(history));
        assertTrue(section.rows().stream().allMatch(r -> r.severity().equals("critical")
                && r.source().startsWith("svc-1")), section.rows().toString());
        assertEquals(section.rows().size() + section.hidden(), section.matching());
        DashboardView.Link high = section.severities().stream().filter(l -> l.label().equals("high")).findFirst()
                .orElseThrow();
        assertEquals("?source=a+b&open_severity=high&open_source=svc-1", high.href());
        assertTrue(section.severities().stream().filter(DashboardView.Link::current).map(DashboardView.Link::label)
                .toList().equals(List.of("critical")));

        List<Problem> bad = new ArrayList<>();
        OpenList.Filter.parse(Map.of("open_severity", "urgent", "open_status", "resolved"), bad);
        assertEquals(List.of("open_severity", "open_status"), bad.stream().map(Problem::field).toList());
    }

    @Test
    void inAWidgetLinksAreCallsOfTheFunctionWithParameters() {
        Links links = Links.widget(DashboardFilter.NONE, "arn:aws:lambda:eu-west-1:123456789012:function:f:live");
        DashboardView.Link incident = links.incident("id-\"1");
        assertEquals(null, incident.href());
        assertEquals("{\"incident\":\"id-\\\"1\"}", incident.params());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:tocsin-Dashboard:live",
                DashboardFunction.widgetEndpoint(Map.of("AWS_REGION", "eu-west-1", "AWS_LAMBDA_FUNCTION_NAME",
                        "tocsin-Dashboard"), "123456789012"));
        assertEquals("arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live", DashboardFunction
                .widgetEndpoint(Map.of("AWS_REGION", "cn-north-1", "AWS_LAMBDA_FUNCTION_NAME", "f"), "123456789012"));
        assertEquals(null, DashboardFunction.widgetEndpoint(Map.of(), "123456789012"), "outside Lambda: no links");
        assertEquals(null, DashboardFunction.widgetEndpoint(Map.of("AWS_REGION", "eu-west-1",
                "AWS_LAMBDA_FUNCTION_NAME", "f"), "12\"><b>"), "only a 12-digit account id");
    }
}
