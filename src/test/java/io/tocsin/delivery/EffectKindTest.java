package io.tocsin.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Effect kinds are an open set whose stored names are a contract with items running stacks wrote. */
class EffectKindTest {

    @Test
    void theStoredNamesOfTheKnownKindsAreUnchanged() {
        assertEquals("pagerduty_event", EffectKind.PAGERDUTY_EVENT.wire());
        assertEquals("pagerduty_escalation", EffectKind.PAGERDUTY_ESCALATION.wire());
        assertEquals("escalation_email", EffectKind.ESCALATION_EMAIL.wire());
        assertEquals("page_failed_email", EffectKind.PAGE_FAILED_EMAIL.wire());
    }

    @Test
    void storedNamesReadAsTheOneInstanceOfTheirKindInAnyCase() {
        assertSame(EffectKind.PAGERDUTY_EVENT, EffectKind.fromWire("pagerduty_event"));
        assertSame(EffectKind.PAGE_FAILED_EMAIL, EffectKind.fromWire("PAGE_FAILED_EMAIL"));
        assertSame(EffectKind.define("test_kind_a", false, (a, l) -> "a"), EffectKind.fromWire("test_kind_a"));
    }

    @Test
    void escalationKindsAreMarkedAndDescribedForPeople() {
        assertTrue(EffectKind.ESCALATION_EMAIL.isEscalation());
        assertTrue(EffectKind.PAGERDUTY_ESCALATION.isEscalation());
        assertFalse(EffectKind.PAGERDUTY_EVENT.isEscalation());
        assertEquals("PagerDuty escalation to level 3", EffectKind.PAGERDUTY_ESCALATION.describe(null, 3));
        assertEquals("PagerDuty resolve", EffectKind.PAGERDUTY_EVENT.describe(PagerDutyAction.RESOLVE, 0));
        assertEquals("escalation email (level 2)", EffectKind.ESCALATION_EMAIL.describe(null, 2));
        assertEquals("failed-page email", EffectKind.PAGE_FAILED_EMAIL.describe(null, 0));
    }

    @Test
    void aNameNoOneDefinedStillReads() {
        EffectKind unknown = EffectKind.fromWire("test_from_a_newer_version");
        assertEquals("test_from_a_newer_version", unknown.wire());
        assertFalse(unknown.isEscalation());
        assertEquals("test from a newer version", unknown.describe(null, 0));
    }

    @Test
    void aBadNameOrAConflictingDefinitionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EffectKind.define("Bad Name", false, (a, l) -> ""));
        assertThrows(IllegalArgumentException.class, () -> EffectKind.define("escalation_email", false, (a, l) -> ""));
    }
}
