package io.tocsin.oncall.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Ordered steps; after the last step's delay the whole policy runs again, {@code repeats} more times (0: once in
 * all). When the last pass's last delay runs out unacknowledged, the policy stops and the ops alarm is raised.
 */
public record EscalationPolicy(String id, String name, List<Step> steps, int repeats) {

    /** Repeats beyond this are refused: with one-minute delays it already pages for hours. */
    public static final int MAX_REPEATS = 9;

    public EscalationPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        steps = List.copyOf(steps);
        if (steps.isEmpty() || repeats < 0 || repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("a policy has steps and 0.." + MAX_REPEATS + " repeats");
        }
    }

    /** One pass: the sum of all step delays. */
    public Duration pass() {
        return steps.stream().map(Step::delay).reduce(Duration.ZERO, Duration::plus);
    }
}
