package io.tocsin.notify;

import java.time.Instant;
import java.util.List;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;

/**
 * Sends the outbox entries of one {@link EffectKind} (Alertmanager's notifier: one per integration, each saying whether
 * a failure is worth retrying). The outbox dispatcher finds the notifier of an entry's kind among the CDI beans that
 * implement this interface and does everything else the same for every kind: the lease, the attempts and backoff, the
 * conditional write of the outcome, crash recovery by the sweep. A new channel (SMS, voice, Slack, Teams) is: an effect
 * kind, a notifier bean, its template, its tests; no edit to the dispatcher.
 *
 * <p>{@link #send} is one attempt and never throws for the receiver's failures: it returns an {@link Outcome}. It may
 * be called again for the same entry after a crash (at-least-once): receivers that can, deduplicate by
 * {@link Effect#messageId()} or the incident id.
 */
public interface Notifier {

    /** The kind of entry this notifier sends. One notifier per kind. */
    EffectKind kind();

    /** One attempt at {@code effect}. */
    Outcome send(Effect effect);

    /** False when the channel is switched off by configuration: its entries are closed unsent (disabled). */
    default boolean enabled() {
        return true;
    }

    /**
     * Whether the invocation that caused an entry retries it a few times with short backoff before leaving it to the
     * sweep ({@code tocsin.delivery.attempts-per-invocation}); otherwise one attempt per invocation.
     */
    default boolean retriesInCaller() {
        return false;
    }

    /**
     * The effects written when an entry of this kind fails for good, in the same write as its outcome (a failed page
     * or REST escalation still reaches a person by email). None by default.
     */
    default List<OutboxEntry> fallbacks(OutboxEntry failed, Alert alert, Instant now) {
        return List.of();
    }
}
