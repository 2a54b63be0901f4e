package io.tocsin.delivery;

import java.util.Locale;

/** Where one outward effect of an incident (a PagerDuty event, an escalation, an email) stands. */
public enum DeliveryState {
    /** PagerDuty accepted the event (202). */
    DELIVERED,
    /** PagerDuty refused the event as invalid (400) or the failure cannot succeed on retry: not retried. */
    FAILED,
    /** PagerDuty was slow, rate-limiting or down: the event waits for the sweep to deliver it at its next attempt time. */
    PENDING,
    /** {@code PAGERDUTY_ENABLED=false}: nothing was sent. */
    DISABLED,
    /**
     * Made pointless by what happened after it was written, so never sent: an acknowledge or trigger not yet delivered
     * when a resolve follows it (the resolve is sent; PagerDuty drops a resolve for a key it never opened), an
     * escalation of an incident acknowledged or resolved before the escalation went out, PagerDuty events after a
     * trigger PagerDuty refused.
     */
    SUPERSEDED;

    /** Whether nothing more will be done with an effect in this state. */
    public boolean isFinal() {
        return this != PENDING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
