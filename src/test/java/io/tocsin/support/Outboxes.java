package io.tocsin.support;

import java.time.Instant;
import java.util.List;

import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;

/** Outboxes for fixtures written straight through the store: a new incident's trigger in a given state. */
public final class Outboxes {

    private Outboxes() {
    }

    /** The outbox of a new incident whose trigger went as {@code delivery}. */
    public static List<OutboxEntry> trigger(Delivery delivery, Instant at) {
        return List.of(new OutboxEntry(OutboxEntry.INITIAL_TRIGGER_ID, EffectKind.PAGERDUTY_EVENT,
                PagerDutyAction.TRIGGER, 0, delivery.state(), delivery.attempts(), delivery.lastStatus(),
                delivery.errors(), delivery.nextAttempt() != null ? delivery.nextAttempt() : at, null, at,
                delivery.state().isFinal() ? at : null));
    }
}
