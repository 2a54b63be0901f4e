package io.tocsin.redelivery;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * The sweep's pass over outboxes: every incident with an effect due (PagerDuty slow, rate-limiting or down; an email
 * that failed; an invocation that died after writing its state change) is handed to the {@link OutboxDispatcher},
 * oldest due first, one attempt per effect, with exponential backoff and jitter between runs, at most
 * {@code tocsin.delivery.max-per-sweep} attempts a run (PagerDuty's rate limit), and no new attempt once the deadline
 * is near. Works only from stored state; overlapping runs never send an effect twice at once (leases).
 */
@Singleton
public class Redelivery {

    static final int MAX_INCIDENTS_PER_RUN = 500;

    public record Report(int sent, int delivered, int failed, boolean complete) {
    }

    private final IncidentStore incidents;
    private final OutboxDispatcher dispatcher;
    private final Settings settings;

    @Inject
    public Redelivery(IncidentStore incidents, OutboxDispatcher dispatcher, Settings settings) {
        this.incidents = incidents;
        this.dispatcher = dispatcher;
        this.settings = settings;
    }

    public Report run(Instant now) {
        return run(now, Deadline.NONE);
    }

    private java.time.Duration margin() {
        return settings.sweep().stepMargin();
    }

    public Report run(Instant now, Deadline deadline) {
        int budget = settings.delivery().maxPerSweep();
        int sent = 0;
        int delivered = 0;
        int failed = 0;
        for (Incident due : incidents.dueForDelivery(now, MAX_INCIDENTS_PER_RUN)) {
            if (sent >= budget || !deadline.allows(margin())) {
                return new Report(sent, delivered, failed, false);
            }
            var report = dispatcher.dispatch(due, OutboxDispatcher.Mode.SWEEP, deadline);
            sent += report.attempts();
            delivered += report.delivered();
            failed += report.failed();
        }
        return new Report(sent, delivered, failed, true);
    }
}
