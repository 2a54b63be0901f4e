package io.tocsin.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;

/**
 * What a {@link Notifier} is given for one attempt: the entry to send, and the incident it belongs to as stored.
 *
 * @param incidentId the incident (also PagerDuty's dedup_key)
 * @param alert      the alert that opened it
 * @param openedAt   when it was opened
 * @param entry      the entry being sent
 * @param outbox     the incident's whole outbox as the sender saw it (for what an effect depends on)
 */
public record Effect(String incidentId, Alert alert, Instant openedAt, OutboxEntry entry, List<OutboxEntry> outbox) {

    public Effect {
        outbox = List.copyOf(outbox);
    }

    /** The same on every attempt at this entry: a copy sent again after a crash is recognisably the same message. */
    public String messageId() {
        return incidentId + "." + entry.id() + "@tocsin";
    }

    /** The incident's latest PagerDuty trigger, if any. */
    public Optional<OutboxEntry> latestTrigger() {
        for (int i = outbox.size() - 1; i >= 0; i--) {
            OutboxEntry e = outbox.get(i);
            if (e.kind() == EffectKind.PAGERDUTY_EVENT && e.action() == PagerDutyAction.TRIGGER) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Whether PagerDuty accepted the incident's latest trigger. */
    public boolean triggerDelivered() {
        return latestTrigger().map(t -> t.state() == DeliveryState.DELIVERED).orElse(false);
    }
}
