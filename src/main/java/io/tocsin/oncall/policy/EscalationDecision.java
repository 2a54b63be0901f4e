package io.tocsin.oncall.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an incident stands in its policy. {@code due}: every step whose time has come (and came before any
 * acknowledgment), in order; the caller sends those it has not sent (keys from {@link DueStep#notificationKeys}).
 * {@code next}: when the next step or the exhaustion is due, or null when nothing more will happen. {@code raiseOps}:
 * the policy ran out unacknowledged and the ops alarm must be told (once; the caller keys it by incident).
 */
public record EscalationDecision(List<DueStep> due, Instant next, boolean raiseOps) {

    /**
     * The pure decision for {@code policy} on an incident opened at {@code start}, acknowledged (or resolved) at
     * {@code acknowledged} (null: not yet), as of {@code now}. Step k of pass p is due at {@code start + p * pass +}
     * the delays of steps 0..k-1. A step due at or after the acknowledgment is never due.
     */
    public static EscalationDecision decide(EscalationPolicy policy, Instant start, Instant acknowledged, Instant now) {
        Instant horizon = acknowledged != null && acknowledged.isBefore(now) ? acknowledged : now;
        boolean stopped = acknowledged != null && !acknowledged.isAfter(now);
        List<DueStep> due = new ArrayList<>();
        Instant at = start;
        for (int pass = 0; pass <= policy.repeats(); pass++) {
            for (int step = 0; step < policy.steps().size(); step++) {
                boolean beforeAck = acknowledged == null || at.isBefore(acknowledged);
                if (!at.isAfter(horizon) && beforeAck) {
                    due.add(new DueStep(pass, step, at, policy.steps().get(step).targets()));
                } else {
                    return new EscalationDecision(due, stopped ? null : at, false);
                }
                at = at.plus(policy.steps().get(step).delay());
            }
        }
        Instant exhausted = at;
        boolean raise = !exhausted.isAfter(horizon) && (acknowledged == null || exhausted.isBefore(acknowledged));
        return new EscalationDecision(due, stopped || raise ? null : exhausted, raise);
    }
}
