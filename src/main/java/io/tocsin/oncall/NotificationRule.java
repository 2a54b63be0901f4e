package io.tocsin.oncall;

import java.time.Duration;
import java.util.Objects;

/** "Notify through {@code method} once {@code after} has passed since the person was first paged and not acknowledged." */
public record NotificationRule(String method, Duration after) {

    public NotificationRule {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("after must not be negative: " + after);
        }
    }
}
