package io.tocsin.summary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tocsin.alert.Severity;
import io.tocsin.incident.Incident;

/**
 * The one-line system health of the daily summary, and the rule that decides it. The most severe level whose
 * conditions hold wins, and its line names every condition that held:
 * <ol>
 *   <li>{@link Status#CRITICAL}: a critical incident has been unresolved for longer than
 *       {@code ALERT_ESCALATION_TIMEOUT}, or a PagerDuty page of the last 24 hours failed (nobody was paged);</li>
 *   <li>{@link Status#DEGRADED}: an incident is unresolved, an incident of the last 24 hours was escalated, or the
 *       MTTA p90 of the last 24 hours is above {@code ALERT_ESCALATION_TIMEOUT};</li>
 *   <li>{@link Status#HEALTHY}: none of these.</li>
 * </ol>
 */
public final class HealthRule {

    public enum Status {
        HEALTHY("#1a7f37"), DEGRADED("#b35900"), CRITICAL("#c62828");

        private final String colour;

        Status(String colour) {
            this.colour = colour;
        }

        /** The colour of the status in the HTML part (green, amber, red). */
        public String colour() {
            return colour;
        }
    }

    /** The status and the conditions of the rule that decided it, in the words of the email. */
    public record Health(Status status, List<String> reasons) {
        public Health {
            reasons = List.copyOf(reasons);
        }

        /** {@code Health: DEGRADED — 2 incidents unresolved} */
        public String line() {
            return "Health: " + status + " — " + String.join("; ", reasons);
        }
    }

    /** What the rule sees: the incidents open now and the figures of the last 24 hours. */
    public record Inputs(List<Incident> open, long deliveryFailures, long escalatedIncidents, Double mttaP90Minutes,
            Instant now) {
    }

    private final Duration escalationTimeout;

    public HealthRule(Duration escalationTimeout) {
        this.escalationTimeout = escalationTimeout;
    }

    /** The rule in one sentence, with this deployment's timeout, printed under the health line. */
    public String describe() {
        String timeout = minutes(escalationTimeout);
        return "CRITICAL when a critical incident is unresolved for longer than ALERT_ESCALATION_TIMEOUT (" + timeout
                + ") or a page failed in the last 24 hours; DEGRADED when any incident is unresolved, an incident was"
                + " escalated, or the MTTA p90 is above " + timeout + "; HEALTHY otherwise.";
    }

    public Health evaluate(Inputs in) {
        String timeout = minutes(escalationTimeout);
        List<String> critical = new ArrayList<>();
        long overdueCritical = in.open().stream()
                .filter(i -> i.alert().severity() == Severity.CRITICAL)
                .filter(i -> Duration.between(i.createdAt(), in.now()).compareTo(escalationTimeout) > 0)
                .count();
        if (overdueCritical > 0) {
            critical.add(count(overdueCritical, "critical incident") + " unresolved for more than " + timeout);
        }
        if (in.deliveryFailures() > 0) {
            critical.add(count(in.deliveryFailures(), "page") + " to PagerDuty failed");
        }
        if (!critical.isEmpty()) {
            return new Health(Status.CRITICAL, critical);
        }
        List<String> degraded = new ArrayList<>();
        if (!in.open().isEmpty()) {
            degraded.add(count(in.open().size(), "incident") + " unresolved");
        }
        if (in.escalatedIncidents() > 0) {
            degraded.add(count(in.escalatedIncidents(), "incident") + " escalated");
        }
        double timeoutMinutes = escalationTimeout.toSeconds() / 60.0;
        if (in.mttaP90Minutes() != null && in.mttaP90Minutes() > timeoutMinutes) {
            degraded.add("MTTA p90 " + SummaryReport.number(in.mttaP90Minutes()) + " min is above " + timeout);
        }
        if (!degraded.isEmpty()) {
            return new Health(Status.DEGRADED, degraded);
        }
        return new Health(Status.HEALTHY, List.of("no unresolved incidents, no escalations, no failed pages, MTTA p90"
                + " within " + timeout));
    }

    private static String minutes(Duration duration) {
        return SummaryReport.number(duration.toSeconds() / 60.0) + " min";
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
