package io.tocsin.delivery;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of delivering one event to PagerDuty, as stored on the incident.
 *
 * @param attempts     HTTP attempts made so far
 * @param lastStatus   the last HTTP status, 0 when none was received (timeout, connection refused, disabled)
 * @param errors       what PagerDuty or the network said, newest last
 * @param nextAttempt  when a pending delivery is due again; null unless {@link DeliveryState#PENDING}
 * @param retryable    whether a failure could succeed if tried again (Alertmanager's notify "retry" flag)
 */
public record Delivery(DeliveryState state, int attempts, int lastStatus, List<String> errors, Instant nextAttempt,
        boolean retryable) {

    public Delivery {
        errors = List.copyOf(errors);
    }

    public static Delivery disabled() {
        return new Delivery(DeliveryState.DISABLED, 0, 0, List.of(), null, false);
    }
}
