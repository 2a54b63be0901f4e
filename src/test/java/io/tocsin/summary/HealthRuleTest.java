package io.tocsin.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;

/** The health rule, condition by condition, at its boundaries. */
class HealthRuleTest {

    private static final Instant NOW = Instant.parse("2031-05-11T08:00:00Z");
    private static final HealthRule RULE = new HealthRule(Duration.ofMinutes(15));

    private static Incident open(Severity severity, Duration age, IncidentStatus status) {
        Instant created = NOW.minus(age);
        Alert alert = new Alert(severity, "t", "", "s", new ObjectMapper().createObjectNode(), "k", false, null, created);
        return new Incident("id-" + severity + age, alert, status, created, 0, created, List.of(), 1, null, null, null,
                null, null, null, null, null, List.of(), 1, null);
    }

    private static HealthRule.Health health(List<Incident> open, long failures, long escalated, Double mttaP90) {
        return RULE.evaluate(new HealthRule.Inputs(open, failures, escalated, mttaP90, NOW));
    }

    @Test
    void nothingWrongIsHealthy() {
        HealthRule.Health health = health(List.of(), 0, 0, 15.0);
        assertEquals(HealthRule.Status.HEALTHY, health.status());
        assertEquals("Health: HEALTHY — no unresolved incidents, no escalations, no failed pages, MTTA p90 within 15 min",
                health.line());
        assertEquals(HealthRule.Status.HEALTHY, health(List.of(), 0, 0, null).status(), "no acknowledgments at all");
    }

    @Test
    void anythingOpenEscalatedOrSlowIsDegraded() {
        assertEquals("Health: DEGRADED — 2 incidents unresolved",
                health(List.of(open(Severity.HIGH, Duration.ofDays(3), IncidentStatus.TRIGGERED),
                        open(Severity.CRITICAL, Duration.ofMinutes(15), IncidentStatus.TRIGGERED)), 0, 0, null).line(),
                "a critical incident open exactly the timeout is not yet overdue");
        assertEquals("Health: DEGRADED — 1 incident escalated", health(List.of(), 0, 1, 3.0).line());
        assertEquals("Health: DEGRADED — MTTA p90 15.5 min is above 15 min", health(List.of(), 0, 0, 15.5).line());
        assertEquals("Health: DEGRADED — 1 incident unresolved; 2 incidents escalated; MTTA p90 20 min is above 15 min",
                health(List.of(open(Severity.LOW, Duration.ofHours(1), IncidentStatus.ACKNOWLEDGED)), 0, 2, 20.0)
                        .line());
    }

    @Test
    void anOverdueCriticalIncidentOrAFailedPageIsCritical() {
        assertEquals("Health: CRITICAL — 1 critical incident unresolved for more than 15 min",
                health(List.of(open(Severity.CRITICAL, Duration.ofMinutes(16), IncidentStatus.ACKNOWLEDGED),
                        open(Severity.HIGH, Duration.ofDays(2), IncidentStatus.TRIGGERED)), 0, 3, 40.0).line(),
                "the critical level names only its own conditions");
        assertEquals("Health: CRITICAL — 1 page to PagerDuty failed", health(List.of(), 1, 0, null).line());
        assertEquals(HealthRule.Status.CRITICAL, health(List.of(open(Severity.CRITICAL, Duration.ofHours(1),
                IncidentStatus.TRIGGERED)), 2, 0, null).status());
        assertEquals("Health: CRITICAL — 1 critical incident unresolved for more than 15 min; 2 pages to PagerDuty failed",
                health(List.of(open(Severity.CRITICAL, Duration.ofHours(1), IncidentStatus.TRIGGERED)), 2, 0, null)
                        .line());
    }

    @Test
    void theRuleIsStatedWithTheConfiguredTimeout() {
        assertEquals("CRITICAL when a critical incident is unresolved for longer than ALERT_ESCALATION_TIMEOUT (30 min)"
                + " or a page failed in the last 24 hours; DEGRADED when any incident is unresolved, an incident was"
                + " escalated, or the MTTA p90 is above 30 min; HEALTHY otherwise.",
                new HealthRule(Duration.ofMinutes(30)).describe());
    }
}
