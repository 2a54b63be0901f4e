package io.tocsin.incident;

import java.util.List;

import io.tocsin.notify.Outcome;

/** What sending one outbox entry came to in one invocation: the last outcome, over {@code attempts} attempts. */
public record Sent(Outcome outcome, int attempts, List<String> errors) {

    public Sent {
        errors = List.copyOf(errors);
    }

    /** The error an outcome carries, if it is not a delivery. */
    static List<String> errorOf(Outcome outcome) {
        if (outcome instanceof Outcome.RetryAfter retry) {
            return List.of(retry.reason());
        }
        if (outcome instanceof Outcome.FailedForGood refused) {
            return List.of(refused.reason());
        }
        return List.of();
    }
}
