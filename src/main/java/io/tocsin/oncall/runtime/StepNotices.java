package io.tocsin.oncall.runtime;

import java.util.List;

import io.tocsin.delivery.OutboxEntry;

/**
 * What one step of a policy sends: its outbox entries (pending, deterministic ids), what its timeline event says, and
 * whether it pages PagerDuty (a PagerDuty target: the stack's trigger event).
 */
public record StepNotices(List<OutboxEntry> entries, String detail, boolean pagesPagerDuty) {

    public StepNotices {
        entries = List.copyOf(entries);
    }
}
