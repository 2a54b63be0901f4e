package io.tocsin.oncall.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tocsin.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EscalationDecisionTest {

    static final Instant START = Instant.parse("2026-03-08T06:00:00Z");
    static final Target PRIMARY = Target.of(TargetKind.SCHEDULE, "primary");
    static final Target ANN = Target.of(TargetKind.PERSON, "ann");
    static final Target PD = Target.of(TargetKind.PAGERDUTY, "pd-main");

    /** Step 0: primary's on-call person; 10 min later step 1: Ann and PagerDuty (Ann named twice); 5 min; repeat twice. */
    static final EscalationPolicy POLICY = new EscalationPolicy("p", "Primary", List.of(
            new Step(List.of(PRIMARY), Duration.ofMinutes(10)),
            new Step(List.of(ANN, PD, ANN), Duration.ofMinutes(5))), 2);

    /** A sweep every minute with an injected time: the sends it makes, keyed, each at most once. */
    static List<String> sweep(Instant acknowledged, Instant until, List<Instant> raisedAt) {
        Set<String> sent = new HashSet<>();
        List<String> log = new java.util.ArrayList<>();
        for (Instant now = START; !now.isAfter(until); now = now.plusSeconds(60)) {
            EscalationDecision d = EscalationDecision.decide(POLICY, START, acknowledged, now);
            for (DueStep step : d.due()) {
                for (String key : step.notificationKeys()) {
                    if (sent.add(key)) {
                        log.add(Duration.between(START, now).toMinutes() + "m " + key);
                    }
                }
            }
            if (d.raiseOps() && raisedAt.isEmpty()) {
                raisedAt.add(now);
            }
        }
        return log;
    }

    @Test
    void stepsGoOutAtTheirDelaysOncePerTargetRepeatTwiceThenRaiseOps() {
        List<Instant> raised = new java.util.ArrayList<>();
        List<String> log = sweep(null, START.plus(Duration.ofHours(2)), raised);
        assertEquals(List.of("0m 0/0/schedule:primary", "10m 0/1/person:ann", "10m 0/1/pagerduty:pd-main",
                "15m 1/0/schedule:primary", "25m 1/1/person:ann", "25m 1/1/pagerduty:pd-main",
                "30m 2/0/schedule:primary", "40m 2/1/person:ann", "40m 2/1/pagerduty:pd-main"), log);
        assertEquals(List.of(START.plus(Duration.ofMinutes(45))), raised);
        EscalationDecision end = EscalationDecision.decide(POLICY, START, null, START.plus(Duration.ofHours(3)));
        assertNull(end.next());
        assertTrue(end.raiseOps());
    }

    @Test
    void theNextInstantIsTheNextStepsDelay() {
        EscalationDecision d = EscalationDecision.decide(POLICY, START, null, START.plus(Duration.ofMinutes(3)));
        assertEquals(1, d.due().size());
        assertEquals(START.plus(Duration.ofMinutes(10)), d.next());
        assertFalse(d.raiseOps());
        EscalationDecision last = EscalationDecision.decide(POLICY, START, null, START.plus(Duration.ofMinutes(41)));
        assertEquals(START.plus(Duration.ofMinutes(45)), last.next());
    }

    @Test
    void anAcknowledgmentStopsEveryLaterStepAndTheOpsSignal() {
        Instant ack = START.plus(Duration.ofMinutes(12));
        List<Instant> raised = new java.util.ArrayList<>();
        List<String> log = sweep(ack, START.plus(Duration.ofHours(2)), raised);
        assertEquals(List.of("0m 0/0/schedule:primary", "10m 0/1/person:ann", "10m 0/1/pagerduty:pd-main"), log);
        assertEquals(List.of(), raised);
        assertNull(EscalationDecision.decide(POLICY, START, ack, START.plus(Duration.ofMinutes(13))).next());
        // acknowledged the very minute step 1 falls due: step 1 is not sent
        assertEquals(1, EscalationDecision.decide(POLICY, START, START.plus(Duration.ofMinutes(10)),
                START.plus(Duration.ofMinutes(20))).due().size());
        // acknowledged after the last step but before the policy ran out: no ops signal
        EscalationDecision late = EscalationDecision.decide(POLICY, START, START.plus(Duration.ofMinutes(44)),
                START.plus(Duration.ofHours(1)));
        assertEquals(6, late.due().size());
        assertFalse(late.raiseOps());
    }

    @Test
    void routingTakesTheFirstMatchingRuleElseTheDefault() {
        RoutingRule db = new RoutingRule("db/", Set.of(Severity.CRITICAL), Map.of("team", "data"), null, "data");
        RoutingRule token = new RoutingRule(null, Set.of(), Map.of(), "grafana", "grafana");
        Routing routing = new Routing(List.of(db, token), "default");
        assertEquals(Optional.of("data"), routing.policyFor(
                new AlertFacts("db/orders", Severity.CRITICAL, Map.of("team", "data"), "grafana")));
        assertEquals(Optional.of("grafana"), routing.policyFor(
                new AlertFacts("db/orders", Severity.HIGH, Map.of("team", "data"), "grafana")));
        assertEquals(Optional.of("default"), routing.policyFor(
                new AlertFacts("web", Severity.LOW, Map.of(), "cli")));
        assertEquals(Optional.empty(), Routing.NONE.policyFor(new AlertFacts("web", Severity.LOW, Map.of(), null)));
    }
}
