package io.tocsin.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.Effects;

/**
 * Stage 4: claims the alert's dedup key: one incident per live problem. The claim stores the alert, so from here on it
 * cannot be lost: it is the pending record of the new incident and its page. An alert whose key has an open
 * (triggered or acknowledged) incident joins it, however long it has been firing: counted on the claim in the claim's
 * own single request (the incident's count is folded in from the claim when it is read or resolved), and its repeat
 * written for PagerDuty at most once per ALERT_DEDUP_WINDOW. A key whose incident is resolved (its claim closed by the
 * resolve) opens a new incident at once. A duplicate (or a retry of the same alert) that finds, after the claim's
 * lease, the original incident not written yet writes it from the claim with its trigger pending. Never a duplicate of
 * an incident that does not exist, never a second incident. The stage writes state and says what follows in its
 * {@link Decision}; it sends nothing: a written repeat or recovered trigger is sent by the pipeline through the outbox
 * dispatcher, a new incident's page by {@code FirstPage}.
 *
 * <p>A duplicate looks at the incident only when the claim says it must: when a repeat is due (the forward is itself
 * the look: a write conditional on the incident being open), once after the lease if no alert saw the incident
 * recorded yet, and once for a claim in the previous format. What it learns is written back to the claim.
 */
@Singleton
public class DedupStage {

    private static final Logger LOG = Logger.getLogger(DedupStage.class);

    /** Concurrent reopenings of one key settle within a couple of rounds; more means something is wrong. */
    private static final int MAX_ROUNDS = 8;

    /**
     * What the rest of the pipeline does with the alert. The stage writes state (the claim; an incident's forwarded
     * repeat or a dead claim's incident, with their effects pending in the same write); sending is the dispatcher's.
     */
    public sealed interface Decision {
        /** Page and record incident {@code incidentId}, opened by {@code alert} at {@code openedAt}. */
        record Open(String incidentId, Alert alert, byte[] storedAlert, Instant openedAt) implements Decision {
        }

        /** A claim whose invocation died: its incident is written with the trigger pending; send it. */
        record Recover(Incident incident) implements Decision {
        }

        /** Counted on incident {@code incidentId}; nothing to send. */
        record Duplicate(String incidentId, long duplicateCount) implements Decision {
        }

        /** Counted, and the repeat forwarded: {@code written} holds the trigger {@code entryId}, leased to us; send it. */
        record ForwardRepeat(String incidentId, long duplicateCount, Incident written, String entryId)
                implements Decision {
        }
    }

    private final DedupStore claims;
    private final IncidentWrites incidents;
    private final IncidentStore reads;
    private final ClaimRecovery recovery;
    private final Effects effects;
    private final FaultHook faults;
    private final Settings settings;
    private final PagerDutyNotifier pagerDuty;
    private final SharedKeys sharedKeys;

    @Inject
    public DedupStage(DedupStore claims, IncidentWrites incidents, IncidentStore reads, ClaimRecovery recovery,
            Effects effects, FaultHook faults, Settings settings, PagerDutyNotifier pagerDuty, SharedKeys sharedKeys) {
        this.sharedKeys = sharedKeys;
        this.settings = settings;
        this.pagerDuty = pagerDuty;
        this.claims = claims;
        this.incidents = incidents;
        this.reads = reads;
        this.recovery = recovery;
        this.effects = effects;
        this.faults = faults;
    }

    public Decision apply(Alert alert, String candidateId) {
        byte[] stored = AlertCodec.encode(alert);
        Instant now = alert.receivedAt();
        String key = alert.dedupKey();
        boolean sharedLooked = false;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            DedupStore.Claim claim = claims.claim(key, candidateId, stored, now);
            if (claim instanceof DedupStore.Claim.Won won) {
                // a token's key space: an incident opened in the shared space before the upgrade is joined, not paged
                SharedKeys.Outcome shared = sharedLooked ? new SharedKeys.Outcome.Keep()
                        : sharedKeys.joinShared(key, candidateId, now);
                sharedLooked = true;
                if (shared instanceof SharedKeys.Outcome.Joined joined) {
                    return duplicate(joined.sharedKey(), joined.held(), now);
                }
                if (shared instanceof SharedKeys.Outcome.Released) {
                    continue;
                }
                return new Decision.Open(won.incidentId(), alert, stored, now);
            }
            if (claim instanceof DedupStore.Claim.Held held) {
                faults.reached(FaultPoint.DUPLICATE_CLAIMED);
                return duplicate(key, held, now);
            }
            // refused: the claim is closed (its incident resolved: a recurrence), or in the previous format
            Optional<DedupStore.Reopened> reopened = claims.reopen(key, null, candidateId, stored, now);
            if (reopened.isPresent()) {
                return opened(reopened.get(), alert, stored, now);
            }
            Optional<DedupStore.ClaimState> state = claims.state(key);
            if (state.isEmpty() || !state.get().previousFormat() || state.get().closed()) {
                continue; // reopened, closed or deleted meanwhile: claim again
            }
            // a claim from before the claim counted duplicates: look at its incident once, then count on the claim
            String held = state.get().incidentId();
            Optional<Incident> incident = reads.findAsStored(held);
            if (incident.isPresent() && !isOpen(incident.get())) {
                Optional<DedupStore.Reopened> recurrence = claims.reopen(key, held, candidateId, stored, now);
                if (recurrence.isPresent()) {
                    return opened(recurrence.get(), alert, stored, now);
                }
                continue;
            }
            Instant due = incident.map(i -> repeatDue(i)).orElse(state.get().claimedAt().plus(settings.dedupWindow()));
            claims.checked(key, held, due, incident.isPresent());
        }
        throw new IllegalStateException("Could not claim dedup key after " + MAX_ROUNDS + " rounds of contention");
    }

    /** The key reopened for this alert: the resolved incident's final count folded in, then the new incident. */
    private Decision opened(DedupStore.Reopened reopened, Alert alert, byte[] stored, Instant now) {
        incidents.foldDuplicates(reopened.previous().incidentId(), reopened.previous());
        return new Decision.Open(reopened.incidentId(), alert, stored, now);
    }

    /** This alert was counted on the claim of {@code held.incidentId()}: usually nothing more to do. */
    private Decision duplicate(String key, DedupStore.Claim.Held held, Instant now) {
        String id = held.incidentId();
        Decision duplicate = new Decision.Duplicate(id, held.duplicateCount());
        boolean leaseOver = recovery.leaseOver(held.claimedAt(), now);
        boolean repeatDue = held.repeatDueAt() == null || !now.isBefore(held.repeatDueAt());
        if (!repeatDue && (held.recorded() || !leaseOver)) {
            return duplicate; // the claim was the only request
        }
        if (repeatDue && held.repeatDueAt() != null && pagerDuty.enabled()) {
            // the forward is itself the look at the incident: conditional on it being recorded, open and still due
            List<OutboxEntry> trigger = effects.pagerDutyEvent(PagerDutyAction.TRIGGER, now);
            Optional<Incident> forwarded = incidents.forwardRepeat(id, AlertCodec.decode(held.alert()).source(),
                    held.duplicateCount(), held.repeatDueAt(), now, trigger);
            if (forwarded.isPresent()) {
                faults.reached(FaultPoint.EFFECT_WRITTEN);
                claims.checked(key, id, forwarded.get().repeatDueAt(), true);
                return new Decision.ForwardRepeat(id, held.duplicateCount(), forwarded.get(), trigger.get(0).id());
            }
        }
        Optional<Incident> current = reads.findAsStored(id);
        Incident incident;
        if (current.isEmpty()) {
            incident = recovery.record(id, held.alert(), held.claimedAt(), now);
        } else if (!isOpen(current.get())) {
            // resolved, and its claim not closed (the resolving invocation died first, or an older version resolved
            // it): this alert was counted on it, so it is its last duplicate, and closes the claim for the next one
            LOG.infof("Incident %s is resolved but its dedup claim was open: closing it", id);
            incidents.closeClaim(current.get());
            return duplicate;
        } else {
            incident = current.get();
        }
        if (leaseOver && unsentTrigger(incident)) {
            // the invocation that claimed the key died before its page was recorded: this one finishes it
            LOG.warnf("Incident %s was claimed at %s but its page never recorded; this alert finishes it", id,
                    held.claimedAt());
            claims.checked(key, id, nextLook(incident, now), true);
            return new Decision.Recover(incident);
        }
        List<OutboxEntry> repeat = effects.pagerDutyEvent(PagerDutyAction.TRIGGER, now);
        Optional<Incident> forwarded = forwardIfDue(incident, now, repeat);
        claims.checked(key, id, nextLook(forwarded.orElse(incident), now), true);
        return forwarded.<Decision>map(f -> new Decision.ForwardRepeat(id, held.duplicateCount(), f,
                repeat.get(0).id())).orElse(duplicate);
    }

    private static boolean isOpen(Incident incident) {
        return incident.status() == IncidentStatus.TRIGGERED || incident.status() == IncidentStatus.ACKNOWLEDGED;
    }

    /** When the incident's next repeat is due (items written before repeats were forwarded: creation + window). */
    private Instant repeatDue(Incident incident) {
        return incident.repeatDueAt() != null ? incident.repeatDueAt()
                : incident.createdAt().plus(settings.dedupWindow());
    }

    /** When a duplicate should next look at the incident: its next repeat, or a window from now if that is past. */
    private Instant nextLook(Incident incident, Instant now) {
        Instant due = repeatDue(incident);
        return due.isAfter(now) ? due : now.plus(settings.dedupWindow());
    }

    /**
     * ALERT_DEDUP_WINDOW is the repeat interval: the first repeat after it is forwarded to PagerDuty as a trigger under
     * the incident's dedup_key (PagerDuty adds it to the open alert: no new page), and the interval starts again.
     */
    private Optional<Incident> forwardIfDue(Incident incident, Instant now, List<OutboxEntry> repeat) {
        Instant due = repeatDue(incident);
        if (now.isBefore(due) || !pagerDuty.enabled()) {
            return Optional.empty();
        }
        Optional<Incident> forwarded = incidents.forwardRepeat(incident, due, now, repeat);
        forwarded.ifPresent(f -> faults.reached(FaultPoint.EFFECT_WRITTEN));
        return forwarded;
    }

    /** Whether the first trigger of {@code incident} was never attempted (only a dead claim's invocation had it). */
    private static boolean unsentTrigger(Incident incident) {
        return !incident.outbox().isEmpty() && incident.outbox().get(0).isPending()
                && incident.outbox().get(0).attempts() == 0;
    }
}
