package io.tocsin.oncall.runtime;

import java.time.Instant;

import io.tocsin.oncall.policy.EscalationPolicy;

/**
 * A policy's steps in a row: slot {@code k} is step {@code k % steps} of pass {@code k / steps}; slot {@link #total}
 * is the exhaustion (the ops alarm). An incident's {@code escalation_level} counts the slots written, so the next
 * slot is the level itself. Times agree with {@link io.tocsin.oncall.policy.EscalationDecision#decide}.
 */
public final class PolicySlots {

    private PolicySlots() {
    }

    /** Steps of every pass, then one for the exhaustion. */
    public static int total(EscalationPolicy policy) {
        return policy.steps().size() * (policy.repeats() + 1);
    }

    /** When slot {@code k} (0 to {@link #total}) is due for a policy started at {@code start}. */
    public static Instant at(EscalationPolicy policy, Instant start, int k) {
        int steps = policy.steps().size();
        Instant at = start.plus(policy.pass().multipliedBy(k / steps));
        for (int step = 0; step < k % steps; step++) {
            at = at.plus(policy.steps().get(step).delay());
        }
        return at;
    }
}
