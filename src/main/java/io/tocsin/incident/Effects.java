package io.tocsin.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.pagerduty.PagerDutyEscalations;

/**
 * The outbox entries state changes write: pending, leased to the writer for {@code tocsin.delivery.lease} (it sends
 * them at once through the dispatcher; the sweep takes them when the lease has run out).
 */
@Singleton
public class Effects {

    private final Notifiers notifiers;
    private final PagerDutyEscalations escalations;
    private final Settings settings;

    @Inject
    public Effects(Notifiers notifiers, PagerDutyEscalations escalations, Settings settings) {
        this.notifiers = notifiers;
        this.escalations = escalations;
        this.settings = settings;
    }

    /** How long a sender holds an entry ({@code tocsin.delivery.lease}). */
    public Duration lease() {
        return settings.delivery().lease();
    }

    /** A PagerDuty event; when PagerDuty is off, a disabled entry that records that nothing was sent. */
    public List<OutboxEntry> pagerDutyEvent(PagerDutyAction action, Instant at) {
        OutboxEntry event = OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, action, 0, at, at.plus(lease()));
        if (!notifiers.require(EffectKind.PAGERDUTY_EVENT).enabled()) {
            return List.of(event.closed(DeliveryState.DISABLED, null, at));
        }
        return List.of(event);
    }

    /** An escalation to {@code level}: through PagerDuty's REST API with an API key, else email. */
    public OutboxEntry escalation(int level, Instant at) {
        EffectKind kind = escalations.configured() ? EffectKind.PAGERDUTY_ESCALATION : EffectKind.ESCALATION_EMAIL;
        return OutboxEntry.pending(kind, null, level, at, at.plus(lease()));
    }
}
