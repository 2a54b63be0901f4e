package io.tocsin.oncall.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.DueStep;
import io.tocsin.oncall.policy.EscalationDecision;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.support.Projects;

/** A due step's targets expanded to people and PagerDuty, on the documentation's example document (no application). */
class StepPlannerTest {

    private static final OnCallDocument EXAMPLE = read("example.json");
    private static final Instant START = Instant.parse("2026-01-07T12:00:00Z"); // a Wednesday: bob's office hours

    private static OnCallDocument read(String name) {
        try {
            return DocumentReader.read(Files.readString(Projects.root().resolve("src/test/resources/oncall/" + name)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static EscalationPolicy policy(String id) {
        return EXAMPLE.policies().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private static StepNotices plan(String policyId, int pass, int step, Instant at) {
        EscalationPolicy policy = policy(policyId);
        return StepPlanner.plan(EXAMPLE, policy, new DueStep(pass, step, at, policy.steps().get(step).targets()),
                START, at.plusSeconds(60));
    }

    @Test
    void aScheduleTargetEmailsWhoeverIsOnCallAtTheStepsTime() {
        // primary: the office layer (bob, weekdays 09:00-17:00 Berlin) over the weekly rotation (ann, bob, cat from
        // Monday 2025-12-29 09:00 New York: cat in the week of 2026-01-12)
        assertEquals(List.of("bob@example.com"), to(plan("default", 0, 0, Instant.parse("2026-01-14T12:00:00Z"))));
        assertEquals(List.of("cat@example.com"), to(plan("default", 0, 0, Instant.parse("2026-01-14T20:00:00Z"))));
    }

    @Test
    void aLayerTargetEmailsEveryMemberOnceAndPagerDutyIsOneTrigger() {
        StepNotices notices = plan("default", 1, 1, START);
        assertEquals(List.of("ann@example.com", "bob@example.com", "cat@example.com"), to(notices));
        assertTrue(notices.pagesPagerDuty());
        List<OutboxEntry> triggers = notices.entries().stream().filter(e -> e.kind() == EffectKind.PAGERDUTY_EVENT)
                .toList();
        assertEquals(1, triggers.size());
        assertEquals(4, notices.entries().get(1).level(), "pass 2 step 2 of a 2-step policy is its 4th slot");
        assertTrue(notices.detail().contains("step 2 of 2 (pass 2 of 3)"), notices.detail());
    }

    @Test
    void aPolicyTargetNotifiesThatPolicysFirstStep() {
        assertEquals(List.of("bob@example.com"), to(plan("database", 0, 1, START)));
    }

    @Test
    void idsAreDeterministicAndDifferPerStepAndPerson() {
        StepNotices once = plan("default", 1, 1, START);
        StepNotices again = plan("default", 1, 1, START);
        assertEquals(once.entries().stream().map(OutboxEntry::id).toList(),
                again.entries().stream().map(OutboxEntry::id).toList());
        assertEquals(once.entries().size(), once.entries().stream().map(OutboxEntry::id).distinct().count());
        assertTrue(plan("default", 0, 1, START).entries().stream().map(OutboxEntry::id)
                .noneMatch(id -> once.entries().stream().anyMatch(e -> e.id().equals(id))));
    }

    @Test
    void slotTimesAgreeWithTheDecision() {
        EscalationPolicy policy = policy("default");
        EscalationDecision all = EscalationDecision.decide(policy, START, null, START.plus(Duration.ofDays(1)));
        assertEquals(PolicySlots.total(policy), all.due().size());
        for (int k = 0; k < all.due().size(); k++) {
            assertEquals(all.due().get(k).at(), PolicySlots.at(policy, START, k), "slot " + k);
        }
        assertEquals(START.plus(policy.pass().multipliedBy(3)), PolicySlots.at(policy, START, PolicySlots.total(policy)),
                "the exhaustion, after the last pass");
    }

    private static List<String> to(StepNotices notices) {
        return notices.entries().stream().filter(e -> e.kind() == EffectKind.ONCALL_EMAIL).map(OutboxEntry::to).toList();
    }
}
