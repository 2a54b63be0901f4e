package io.tocsin.notify;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One on-call handoff notice by email, as its outbox item holds it: to {@code recipients} (the person's email
 * addresses), telling them that at {@code boundary} their shift on {@code scheduleName} began ({@code incoming}) or
 * ended. {@code other} is who handed over to them or took over from them (null: no one), {@code until} when the
 * incoming shift ends (null: beyond the horizon looked at), {@code zone} the person's zone for the local times.
 */
public record HandoffEmail(List<String> recipients, String personName, String scheduleName, boolean incoming,
        String other, Instant boundary, Instant until, ZoneId zone, String messageId) {

    public HandoffEmail {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(personName, "personName");
        Objects.requireNonNull(scheduleName, "scheduleName");
        Objects.requireNonNull(boundary, "boundary");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(messageId, "messageId");
    }
}
