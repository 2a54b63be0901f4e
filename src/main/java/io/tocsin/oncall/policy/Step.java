package io.tocsin.oncall.policy;

import java.time.Duration;
import java.util.List;

/** Notify {@code targets}; if no one acknowledges within {@code delay}, go on to the next step. */
public record Step(List<Target> targets, Duration delay) {

    public Step {
        targets = List.copyOf(new java.util.LinkedHashSet<>(targets)); // a target named twice is notified once
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay is not negative: " + delay);
        }
    }
}
