package io.tocsin.delivery;

import java.util.Locale;

/** The outward effects an incident's outbox holds. */
public enum EffectKind {
    /** A PagerDuty Events API v2 event (trigger, acknowledge, resolve) under the incident's dedup_key. */
    PAGERDUTY_EVENT,
    /** Raising the PagerDuty incident's escalation level through the REST API (PAGERDUTY_API_KEY set). */
    PAGERDUTY_ESCALATION,
    /** An escalation email (no API key, or the REST escalation failed). */
    ESCALATION_EMAIL,
    /** The email telling people that a page could not be delivered to PagerDuty. */
    PAGE_FAILED_EMAIL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EffectKind fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    public boolean isEmail() {
        return this == ESCALATION_EMAIL || this == PAGE_FAILED_EMAIL;
    }
}
