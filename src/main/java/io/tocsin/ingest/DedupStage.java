package io.tocsin.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.config.Settings;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.pagerduty.PagerDutyNotifier;
import io.tocsin.dedup.DedupStore;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * Stage 4: claims the alert's dedup key: one incident per live problem. The claim stores the alert, so from here on it
 * cannot be lost: it is the pending record of the new incident and its page. An alert whose key has an open
 * (triggered or acknowledged) incident joins it, however long it has been firing: counted, last seen updated, and
 * forwarded to PagerDuty at most once per ALERT_DEDUP_WINDOW. A key whose incident is resolved opens a new incident at
 * once. A duplicate (or a retry of the same alert) that finds the original incident not written yet writes it from
 * the claim: within the claim's lease with the trigger left to the invocation that claimed it, after the lease with
 * the trigger sent now. Never a duplicate of an incident that does not exist, never a second incident.
 */
@Singleton
public class DedupStage {

    private static final Logger LOG = Logger.getLogger(DedupStage.class);

    /** What the rest of the pipeline does with the alert. */
    public sealed interface Decision {
        /** Record and page incident {@code incidentId}, opened by {@code alert} at {@code openedAt}. */
        record Open(String incidentId, Alert alert, byte[] storedAlert, Instant openedAt) implements Decision {
        }

        /** The incident of a claim whose invocation died, written and paged by this one. */
        record Recovered(Incident incident) implements Decision {
        }

        record Duplicate(String incidentId, long duplicateCount) implements Decision {
        }
    }

    private final DedupStore claims;
    private final IncidentWrites incidents;
    private final ClaimRecovery recovery;
    private final OutboxDispatcher dispatcher;
    private final FaultHook faults;
    private final Settings settings;
    private final PagerDutyNotifier pagerDuty;

    @Inject
    public DedupStage(DedupStore claims, IncidentWrites incidents, ClaimRecovery recovery, OutboxDispatcher dispatcher,
            FaultHook faults, Settings settings, PagerDutyNotifier pagerDuty) {
        this.settings = settings;
        this.pagerDuty = pagerDuty;
        this.claims = claims;
        this.incidents = incidents;
        this.recovery = recovery;
        this.dispatcher = dispatcher;
        this.faults = faults;
    }

    public Decision apply(Alert alert, String candidateId) {
        byte[] stored = AlertCodec.encode(alert);
        Instant now = alert.receivedAt();
        DedupStore.Claim claim = claims.claim(alert.dedupKey(), candidateId, stored, now);
        for (int round = 0;; round++) {
            if (claim instanceof DedupStore.Claim.Won won) {
                return new Decision.Open(won.incidentId(), alert, stored, now);
            }
            DedupStore.Claim.Held held = (DedupStore.Claim.Held) claim;
            faults.reached(FaultPoint.DUPLICATE_CLAIMED);
            var counted = incidents.countDuplicate(held.incidentId(), held.duplicateCount(), now);
            if (counted.recorded() == IncidentWrites.DuplicateRecorded.CLOSED && round == 0) {
                // a recurrence: the key's incident is resolved, so this alert opens a new one at once
                claim = claims.reopen(alert.dedupKey(), held.incidentId(), candidateId, stored, now);
                continue;
            }
            Incident incident = counted.incident();
            if (counted.recorded() == IncidentWrites.DuplicateRecorded.NOT_YET_RECORDED) {
                incident = recovery.record(held.incidentId(), held.alert(), held.claimedAt(), now);
            }
            if (incident != null && recovery.leaseOver(held.claimedAt(), now) && unsentTrigger(incident)) {
                // the invocation that claimed the key died before its page was recorded: this one finishes it
                LOG.warnf("Incident %s was claimed at %s but its page never recorded; this alert finishes it",
                        held.incidentId(), held.claimedAt());
                return new Decision.Recovered(dispatcher.dispatch(incident, OutboxDispatcher.Mode.CALLER,
                        Deadline.NONE).incident());
            }
            if (incident != null && counted.recorded() == IncidentWrites.DuplicateRecorded.RECORDED) {
                forwardIfDue(incident, now);
            }
            return new Decision.Duplicate(held.incidentId(), held.duplicateCount());
        }
    }

    /**
     * ALERT_DEDUP_WINDOW is the repeat interval: the first repeat after it is forwarded to PagerDuty as a trigger under
     * the incident's dedup_key (PagerDuty adds it to the open alert: no new page), and the interval starts again.
     */
    private void forwardIfDue(Incident incident, Instant now) {
        Instant due = incident.repeatDueAt() != null ? incident.repeatDueAt()
                : incident.createdAt().plus(settings.dedupWindow());
        if (now.isBefore(due) || !pagerDuty.enabled()) {
            return;
        }
        List<OutboxEntry> effects = dispatcher.pagerDutyEvent(PagerDutyAction.TRIGGER, now);
        writes(incident, due, now, effects).ifPresent(forwarded -> dispatcher.dispatch(forwarded,
                OutboxDispatcher.Mode.CALLER, Deadline.NONE, Set.of(effects.get(0).id())));
    }

    private java.util.Optional<Incident> writes(Incident incident, Instant due, Instant now,
            List<OutboxEntry> effects) {
        java.util.Optional<Incident> forwarded = incidents.forwardRepeat(incident, due, now, effects);
        forwarded.ifPresent(f -> faults.reached(FaultPoint.EFFECT_WRITTEN));
        return forwarded;
    }

    /** Whether the first trigger of {@code incident} was never attempted (only a dead claim's invocation had it). */
    private static boolean unsentTrigger(Incident incident) {
        return !incident.outbox().isEmpty() && incident.outbox().get(0).isPending()
                && incident.outbox().get(0).attempts() == 0;
    }
}
