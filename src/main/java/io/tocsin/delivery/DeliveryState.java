package io.tocsin.delivery;

import java.util.Locale;

/** Where the page for an incident stands. */
public enum DeliveryState {
    /** PagerDuty accepted the event (202). */
    DELIVERED,
    /** PagerDuty refused the event as invalid (400) or the failure cannot succeed on retry: not retried. */
    FAILED,
    /** PagerDuty was slow, rate-limiting or down: the event waits for the sweep to deliver it at its next attempt time. */
    PENDING,
    /** {@code PAGERDUTY_ENABLED=false}: nothing was sent. */
    DISABLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
