package io.tocsin.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * Stage 6: records the incident with the outcome of its page in one write: the trigger is the first entry of its
 * outbox (delivered, refused, disabled, or pending for the sweep), followed by the failed-page email a refused page of a
 * critical or high incident causes, which is then sent. If a recovery (a retry of the same alert, a duplicate, the
 * sweep) wrote the incident first, the page's outcome is recorded on the trigger it wrote.
 */
@Singleton
public class PersistStage {

    private final IncidentWrites writes;
    private final IncidentStore reads;
    private final OutboxDispatcher dispatcher;
    private final Settings settings;
    private final Clock clock;

    @Inject
    public PersistStage(IncidentWrites writes, IncidentStore reads, OutboxDispatcher dispatcher, Settings settings,
            Clock clock) {
        this.writes = writes;
        this.reads = reads;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
    }

    /** The first entry of a new incident's outbox: its trigger, pending until sent. */
    static OutboxEntry initialTrigger(Instant at, Instant leaseUntil) {
        return OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, PagerDutyAction.TRIGGER, 0, at, leaseUntil)
                .withId(OutboxEntry.INITIAL_TRIGGER_ID);
    }

    /**
     * @param sent how the trigger went; null when PagerDuty is disabled
     * @return the trigger as recorded
     */
    public OutboxEntry apply(DedupStage.Decision.Open open, OutboxDispatcher.Sent sent) {
        Instant now = clock.instant();
        Instant lease = open.openedAt().plus(settings.ingest().claimLease());
        OutboxEntry trigger = sent == null
                ? initialTrigger(open.openedAt(), null).closed(DeliveryState.DISABLED, null, now)
                : dispatcher.after(initialTrigger(open.openedAt(), null), sent, now);
        List<OutboxEntry> outbox = new ArrayList<>(List.of(trigger));
        outbox.addAll(dispatcher.followUps(open.incidentId(), open.alert(), trigger, now));
        if (writes.recordTriggered(open.incidentId(), open.alert(), open.storedAlert(), outbox, open.openedAt())) {
            if (outbox.size() > 1) {
                reads.findAsStored(open.incidentId()).ifPresent(incident -> dispatcher.dispatch(incident,
                        OutboxDispatcher.Mode.CALLER, Deadline.NONE));
            }
            return trigger;
        }
        Incident recorded = reads.findAsStored(open.incidentId()).orElseThrow();
        if (sent != null) {
            recorded = dispatcher.recordSent(recorded, OutboxEntry.INITIAL_TRIGGER_ID, lease, sent);
            recorded = dispatcher.dispatch(recorded, OutboxDispatcher.Mode.CALLER, Deadline.NONE).incident();
        }
        return recorded.outbox().get(0);
    }
}
