package io.tocsin.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.notify.Effect;
import io.tocsin.notify.Notifier;
import io.tocsin.notify.Outcome;

/** The outbox's decisions without the application: what is next, what is held, what is superseded or disabled. */
class OutboxRulesTest {

    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");
    private static final EffectKind SMOKE = EffectKind.define("test_smoke_signal", false, (a, l) -> "smoke signal");

    /** A notifier that never sends: the rules only look at its kind and whether it is on. */
    private record Stub(EffectKind kind, boolean enabled) implements Notifier {
        @Override
        public Outcome send(Effect effect) {
            throw new AssertionError("the rules never send");
        }
    }

    private final Map<EffectKind, Notifier> notifiers = new java.util.HashMap<>(Map.of(
            EffectKind.PAGERDUTY_EVENT, new Stub(EffectKind.PAGERDUTY_EVENT, true),
            EffectKind.PAGERDUTY_ESCALATION, new Stub(EffectKind.PAGERDUTY_ESCALATION, true),
            EffectKind.ESCALATION_EMAIL, new Stub(EffectKind.ESCALATION_EMAIL, true),
            SMOKE, new Stub(SMOKE, true)));

    private static OutboxEntry event(PagerDutyAction action, DeliveryState state) {
        OutboxEntry pending = OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, action, 0, NOW, null);
        return state == DeliveryState.PENDING ? pending : pending.closed(state, null, NOW);
    }

    private static OutboxEntry pending(EffectKind kind, int level) {
        return OutboxEntry.pending(kind, null, level, NOW, null);
    }

    private static Incident incident(IncidentStatus status, OutboxEntry... outbox) {
        Alert alert = new Alert(Severity.HIGH, "t", "d", "s", JsonNodeFactory.instance.objectNode(), "k", false, null,
                NOW);
        return new Incident("inc-1", alert, status, NOW, 0, NOW, Arrays.asList(outbox), 1, null, null, null, null,
                null, null, null, null, List.of(), 1, null);
    }

    private Optional<OutboxRules.Step> next(Incident incident) {
        return OutboxRules.next(incident, NOW, Set.of(), e -> true, k -> Optional.ofNullable(notifiers.get(k)));
    }

    @Test
    void pagerDutyEventsGoInSequenceWhileEmailsAndNewChannelsWaitForNothing() {
        OutboxEntry trigger = event(PagerDutyAction.TRIGGER, DeliveryState.PENDING)
                .attempted(DeliveryState.PENDING, 503, List.of("down"), NOW.plusSeconds(60), NOW);
        OutboxEntry ack = event(PagerDutyAction.ACKNOWLEDGE, DeliveryState.PENDING);
        OutboxEntry smoke = pending(SMOKE, 0);
        Incident incident = incident(IncidentStatus.ACKNOWLEDGED, trigger, ack, smoke);
        OutboxRules.Send send = assertInstanceOf(OutboxRules.Send.class, next(incident).orElseThrow());
        assertEquals(smoke.id(), send.entry().id(), "the trigger waits for its retry, the ack behind it");
        assertSame(notifiers.get(SMOKE), send.notifier(), "found by its kind");
    }

    @Test
    void aResolveSupersedesThePendingTriggerAndAcknowledge() {
        Incident incident = incident(IncidentStatus.RESOLVED, event(PagerDutyAction.TRIGGER, DeliveryState.PENDING),
                event(PagerDutyAction.RESOLVE, DeliveryState.PENDING));
        OutboxRules.Close close = assertInstanceOf(OutboxRules.Close.class, next(incident).orElseThrow());
        assertEquals(DeliveryState.SUPERSEDED, close.state());
        assertEquals("not sent: superseded by the resolve (sequence 2)", close.reason());
    }

    @Test
    void eventsAfterARefusedOrDisabledTriggerAreSuperseded() {
        for (DeliveryState state : List.of(DeliveryState.FAILED, DeliveryState.DISABLED)) {
            Incident incident = incident(IncidentStatus.ACKNOWLEDGED, event(PagerDutyAction.TRIGGER, state),
                    event(PagerDutyAction.ACKNOWLEDGE, DeliveryState.PENDING));
            assertTrue(OutboxRules.pointless(incident, 1).startsWith("not sent:"), state.wire());
            assertNull(OutboxRules.pointless(incident, 0), "a closed trigger is not pointless");
        }
    }

    @Test
    void anEscalationStepOfAnAcknowledgedIncidentIsSupersededAnEmailOfAnotherKindIsNot() {
        Incident acknowledged = incident(IncidentStatus.ACKNOWLEDGED, pending(EffectKind.PAGERDUTY_ESCALATION, 2),
                pending(EffectKind.ESCALATION_EMAIL, 2), pending(SMOKE, 0));
        assertEquals("not sent: the incident was acknowledged first", OutboxRules.pointless(acknowledged, 0));
        assertEquals("not sent: the incident was acknowledged first", OutboxRules.pointless(acknowledged, 1));
        assertNull(OutboxRules.pointless(acknowledged, 2));
        Incident triggered = incident(IncidentStatus.TRIGGERED, pending(EffectKind.ESCALATION_EMAIL, 2));
        assertInstanceOf(OutboxRules.Send.class, next(triggered).orElseThrow());
    }

    @Test
    void aSwitchedOffChannelIsClosedAsDisabledAndAKindWithoutANotifierIsLeftAlone() {
        notifiers.put(EffectKind.PAGERDUTY_EVENT, new Stub(EffectKind.PAGERDUTY_EVENT, false));
        Incident off = incident(IncidentStatus.TRIGGERED, event(PagerDutyAction.TRIGGER, DeliveryState.PENDING));
        assertEquals(DeliveryState.DISABLED, assertInstanceOf(OutboxRules.Close.class, next(off).orElseThrow()).state());

        Incident unknown = incident(IncidentStatus.TRIGGERED, pending(EffectKind.fromWire("test_newer_channel"), 0));
        assertEquals(Optional.empty(), next(unknown), "written by a newer version: left for a sender that knows it");
    }

    @Test
    void leasedAndNotYetDueEntriesWait() {
        OutboxEntry leased = OutboxEntry.pending(SMOKE, null, 0, NOW, NOW.plusSeconds(30));
        Incident incident = incident(IncidentStatus.TRIGGERED, leased);
        assertEquals(Optional.empty(), next(incident), "leased to another sender");
        Optional<OutboxRules.Step> owned = OutboxRules.next(incident, NOW, Set.of(leased.id()), e -> true,
                k -> Optional.ofNullable(notifiers.get(k)));
        assertInstanceOf(OutboxRules.Send.class, owned.orElseThrow(), "leased to the caller itself");
        OutboxEntry later = OutboxEntry.pending(SMOKE, null, 0, NOW.plusSeconds(5), null);
        assertEquals(Optional.empty(), next(incident(IncidentStatus.TRIGGERED, later)), "not due yet");
    }
}
