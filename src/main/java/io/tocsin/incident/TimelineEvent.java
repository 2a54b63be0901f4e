package io.tocsin.incident;

import java.time.Instant;

/**
 * One entry of an incident's timeline: what happened, when, and who did it.
 *
 * @param actor  a person, "pagerduty:<agent>", the alert's source, or "tocsin"
 * @param detail free text (delivery errors, resolution notes, duplicate counts)
 */
public record TimelineEvent(Instant at, Type type, String actor, String detail) {

    public enum Type {
        TRIGGERED, DUPLICATE, SUPPRESSED, DELIVERED, DELIVERY_FAILED, DELIVERY_PENDING, DELIVERY_DISABLED,
        SUPERSEDED, ACKNOWLEDGED, ACK_TIMED_OUT, ESCALATED, RESOLVED, REPEAT_FORWARDED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Type fromWire(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
