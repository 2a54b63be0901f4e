package io.tocsin.oncall.policy;

import java.util.Locale;

/** Whom a policy step notifies. */
public enum TargetKind {
    /** The person on call now on schedule {@code ref}. */
    SCHEDULE,
    /** The person {@code ref}. */
    PERSON,
    /** Every member of layer {@code layer} of schedule {@code ref}. */
    SCHEDULE_LAYER,
    /** A PagerDuty service: {@code ref} names the integration key secret, paged through the existing outbox effect. */
    PAGERDUTY,
    /** Hand the incident to policy {@code ref} (its own steps start over); validation refuses loops. */
    POLICY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static java.util.Optional<TargetKind> parse(String text) {
        for (TargetKind kind : values()) {
            if (kind.wire().equals(text)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
