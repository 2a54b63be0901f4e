package io.tocsin.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Severity;
import io.tocsin.config.EscalationConfig;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.emf.Emf;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.notify.EmailNotifier;
import io.tocsin.notify.Outcome;
import io.tocsin.notify.Texts;
import io.tocsin.pagerduty.PagerDutyEscalations;
import io.tocsin.pagerduty.PagerDutyNotifier;
import io.tocsin.time.Deadline;
import io.tocsin.time.Sleeper;

/**
 * Sends what an incident's outbox holds, from stored state only, and records each outcome (GoAlert's outgoing-message
 * sender, on one item): an entry is taken with a lease (or was written leased to the invocation that caused it), sent,
 * and its outcome written conditionally, so overlapping senders never send it twice at once and a sender that died is
 * replaced once its lease runs out.
 *
 * <p>Order and what is never sent:
 * <ul>
 * <li>PagerDuty events of one incident go out in sequence order: one waits while an earlier one is pending.</li>
 * <li>A trigger or acknowledge still pending when a resolve follows it is superseded (never sent); the resolve is sent
 * (PagerDuty drops a resolve for a key it never opened, and closes the alert if an earlier attempt did open it).</li>
 * <li>Events after a trigger PagerDuty refused for good, or after a trigger not sent because PagerDuty was disabled,
 * are superseded: PagerDuty would drop them.</li>
 * <li>An escalation of an incident acknowledged or resolved before it went out is superseded.</li>
 * <li>Emails wait for nothing: an escalation email goes out while PagerDuty is down.</li>
 * </ul>
 * A PagerDuty event that fails for good (4xx, or retries exhausted) of a critical or high incident adds a failed-page
 * email; a REST escalation that fails for good (or whose trigger PagerDuty has not accepted) adds an escalation email.
 */
@Singleton
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);

    /** How long a sender holds an entry ({@code tocsin.delivery.lease}). */
    public Duration lease() {
        return settings.delivery().lease();
    }

    /** How hard the sender tries now. */
    public enum Mode {
        /** The invocation that caused the effect: a few attempts with short backoff, then it is left to the sweep. */
        CALLER,
        /** The sweep: one attempt per entry per run. */
        SWEEP
    }

    private final IncidentStore reads;
    private final OutboxStore outbox;
    private final PagerDutyNotifier pagerDuty;
    private final PagerDutyEscalations escalations;
    private final EmailNotifier email;
    private final Settings settings;
    private final EscalationConfig escalationConfig;
    private final Clock clock;
    private final Sleeper sleeper;
    private final FaultHook faults;
    private final Emf emf;

    @Inject
    public OutboxDispatcher(IncidentStore reads, OutboxStore outbox, PagerDutyNotifier pagerDuty,
            PagerDutyEscalations escalations, EmailNotifier email, Settings settings,
            EscalationConfig escalationConfig, Clock clock, Sleeper sleeper, FaultHook faults, Emf emf) {
        this.reads = reads;
        this.outbox = outbox;
        this.pagerDuty = pagerDuty;
        this.escalations = escalations;
        this.email = email;
        this.settings = settings;
        this.escalationConfig = escalationConfig;
        this.clock = clock;
        this.sleeper = sleeper;
        this.faults = faults;
        this.emf = emf;
    }

    /** What one run over an incident's outbox did. */
    public record Report(Incident incident, int attempts, int delivered, int failed) {
    }

    /**
     * The entries a state change should write for a PagerDuty event, leased to the writer (who sends them at once):
     * none when PagerDuty is off (a disabled entry records that nothing was sent).
     */
    public List<OutboxEntry> pagerDutyEvent(PagerDutyAction action, Instant at) {
        if (!pagerDuty.enabled()) {
            return List.of(OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, action, 0, at, null)
                    .closed(DeliveryState.DISABLED, null, at));
        }
        return List.of(OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, action, 0, at, at.plus(lease())));
    }

    /** The entry an escalation to {@code level} writes: through PagerDuty's REST API with an API key, else email. */
    public OutboxEntry escalation(int level, Instant at) {
        EffectKind kind = escalations.enabled() ? EffectKind.PAGERDUTY_ESCALATION : EffectKind.ESCALATION_EMAIL;
        return OutboxEntry.pending(kind, null, level, at, at.plus(lease()));
    }

    /**
     * Sends every entry of {@code incident} that is due and not held, in order, until none is left to send now or the
     * deadline comes. {@code incident} is the state the caller last saw (e.g. its own write's result).
     */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline) {
        return dispatch(incident, mode, deadline, java.util.Set.of());
    }

    /**
     * As {@link #dispatch(Incident, Mode, Deadline)}, where {@code owned} are the ids of entries the caller's own state
     * change wrote leased to itself: it sends them without taking them again.
     */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline, java.util.Set<String> owned) {
        return dispatch(incident, mode, deadline, owned, entry -> true);
    }

    /** As above, sending only the entries {@code which} accepts (the escalation sweep: not PagerDuty events). */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline, java.util.Set<String> owned,
            java.util.function.Predicate<OutboxEntry> which) {
        String previous = io.tocsin.api.LogFields.incident(incident.id());
        try {
            return dispatchEntries(incident, mode, deadline, owned, which);
        } finally {
            io.tocsin.api.LogFields.restore(previous);
        }
    }

    private Report dispatchEntries(Incident incident, Mode mode, Deadline deadline, java.util.Set<String> owned,
            java.util.function.Predicate<OutboxEntry> which) {
        Incident current = incident;
        if (current.isPreviousFormat() && current.hasPendingEffects()) {
            outbox.upgrade(current);
            current = reads.findAsStored(current.id()).orElse(current);
        }
        int attempts = 0;
        int delivered = 0;
        int failed = 0;
        for (int step = 0; step < 50 && deadline.allows(settings.sweep().stepMargin()); step++) {
            Instant now = clock.instant();
            Optional<Step> next = nextStep(current, now, owned, which);
            if (next.isEmpty()) {
                break;
            }
            Step chosen = next.get();
            Optional<Incident> written;
            if (chosen.close() != null) {
                OutboxEntry closed = chosen.entry().closed(chosen.close(), chosen.reason(), now);
                written = outbox.record(current, closed, List.of(), List.of(OutboxStore.outcomeEvent(closed, now)));
            } else {
                OutboxEntry entry = chosen.entry();
                if (!entry.leasedAt(now) || !owned.contains(entry.id())) {
                    Optional<Incident> claimed = outbox.claim(current, entry.id(), now.plus(lease()));
                    if (claimed.isEmpty()) {
                        current = reread(current);
                        continue;
                    }
                    current = claimed.get();
                    entry = current.outbox().get(current.positionOf(entry.id()).orElseThrow());
                    faults.reached(FaultPoint.EFFECT_CLAIMED);
                }
                Sent sent = send(current, entry, mode);
                attempts += sent.attempts();
                faults.reached(FaultPoint.EFFECT_SENT);
                Recorded recorded = recordOutcome(current, entry, sent);
                if (recorded.incident() == null) {
                    current = reread(current);
                    continue;
                }
                written = Optional.of(recorded.incident());
                if (recorded.entry().state() == DeliveryState.DELIVERED) {
                    delivered++;
                } else if (recorded.entry().state() == DeliveryState.FAILED) {
                    failed++;
                }
                faults.reached(FaultPoint.EFFECT_RECORDED);
            }
            current = written.isPresent() ? written.get() : reread(current);
        }
        return new Report(current, attempts, delivered, failed);
    }

    private Incident reread(Incident stale) {
        return reads.findAsStored(stale.id()).orElse(stale);
    }

    /** The next thing to do with the outbox: close an entry that is pointless now, or send one. */
    private record Step(OutboxEntry entry, DeliveryState close, String reason) {
    }

    private Optional<Step> nextStep(Incident incident, Instant now, java.util.Set<String> owned,
            java.util.function.Predicate<OutboxEntry> which) {
        List<OutboxEntry> entries = incident.outbox();
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry entry = entries.get(i);
            if (!entry.isPending() || !which.test(entry)) {
                continue;
            }
            String pointless = pointless(incident, i);
            if (pointless != null) {
                return Optional.of(new Step(entry, DeliveryState.SUPERSEDED, pointless));
            }
            if (entry.kind() == EffectKind.PAGERDUTY_EVENT && !pagerDuty.enabled()) {
                return Optional.of(new Step(entry, DeliveryState.DISABLED, null));
            }
            if (entry.kind() == EffectKind.PAGERDUTY_EVENT && earlierEventPending(entries, i)) {
                continue; // held: PagerDuty gets this incident's events in order
            }
            if (entry.dueAt().isAfter(now)) {
                continue;
            }
            if (entry.leasedAt(now) && !owned.contains(entry.id())) {
                continue;
            }
            return Optional.of(new Step(entry, null, null));
        }
        return Optional.empty();
    }

    /** Why entry {@code i} should never be sent now, or null. */
    private static String pointless(Incident incident, int i) {
        List<OutboxEntry> entries = incident.outbox();
        OutboxEntry entry = entries.get(i);
        switch (entry.kind()) {
            case PAGERDUTY_EVENT -> {
                if (entry.action() != PagerDutyAction.RESOLVE) {
                    for (int j = i + 1; j < entries.size(); j++) {
                        OutboxEntry later = entries.get(j);
                        if (later.kind() == EffectKind.PAGERDUTY_EVENT && later.action() == PagerDutyAction.RESOLVE) {
                            return "not sent: superseded by the resolve (sequence " + (j + 1) + ")";
                        }
                    }
                }
                if (entry.action() != PagerDutyAction.TRIGGER) {
                    OutboxEntry trigger = latestTriggerBefore(entries, i);
                    if (trigger != null && trigger.state() == DeliveryState.FAILED) {
                        return "not sent: PagerDuty refused this incident's trigger";
                    }
                    if (trigger != null && trigger.state() == DeliveryState.DISABLED) {
                        return "not sent: the trigger was not sent (PAGERDUTY_ENABLED was false)";
                    }
                }
                return null;
            }
            case PAGERDUTY_ESCALATION, ESCALATION_EMAIL -> {
                return incident.status() == IncidentStatus.TRIGGERED ? null
                        : "not sent: the incident was " + incident.status().wire() + " first";
            }
            default -> {
                return null;
            }
        }
    }

    private static OutboxEntry latestTriggerBefore(List<OutboxEntry> entries, int i) {
        for (int j = i - 1; j >= 0; j--) {
            OutboxEntry e = entries.get(j);
            if (e.kind() == EffectKind.PAGERDUTY_EVENT && e.action() == PagerDutyAction.TRIGGER) {
                return e;
            }
        }
        return null;
    }

    private static boolean earlierEventPending(List<OutboxEntry> entries, int i) {
        for (int j = 0; j < i; j++) {
            if (entries.get(j).kind() == EffectKind.PAGERDUTY_EVENT && entries.get(j).isPending()) {
                return true;
            }
        }
        return false;
    }

    /** What sending came to, over {@code attempts} attempts. */
    public record Sent(Outcome outcome, int attempts, List<String> errors) {
    }

    private Sent send(Incident incident, OutboxEntry entry, Mode mode) {
        return switch (entry.kind()) {
            case PAGERDUTY_EVENT -> sendPagerDuty(entry.action(), incident.id(), incident.alert(), mode);
            case PAGERDUTY_ESCALATION -> {
                OutboxEntry trigger = latestTriggerBefore(incident.outbox(), incident.outbox().size());
                Outcome outcome = trigger != null && trigger.state() == DeliveryState.DELIVERED
                        ? escalations.escalate(incident.id(), entry.level())
                        : new Outcome.FailedForGood(0, "PagerDuty has not accepted this incident's trigger");
                yield new Sent(outcome, 1, errorOf(outcome));
            }
            case ESCALATION_EMAIL -> once(email.send(escalationConfig.recipients()
                    .orElse(settings.summaryEmail().recipients()),
                    "[Tocsin] Escalated to level " + entry.level() + ": " + incident.alert().title(),
                    "Incident " + incident.id() + " (" + incident.alert().severity().wire() + ", source "
                            + incident.alert().source() + ") has not been acknowledged since "
                            + incident.createdAt() + ".\nIt is now at escalation level " + entry.level() + ".\n\n"
                            + incident.alert().description(), messageId(incident, entry)));
            case PAGE_FAILED_EMAIL -> once(email.send(settings.summaryEmail().recipients(),
                    "[Tocsin] PagerDuty could not be paged: " + incident.alert().title(),
                    "Tocsin could not deliver the page for " + incident.alert().severity().wire() + " incident "
                            + incident.id() + " to PagerDuty.\n\nAlert: " + incident.alert().title() + "\nSource: "
                            + incident.alert().source() + "\nSince: " + incident.createdAt() + "\nErrors: "
                            + String.join("; ", triggerErrors(incident)), messageId(incident, entry)));
        };
    }

    /**
     * Sends a PagerDuty event: in the caller, up to {@code tocsin.delivery.attempts-per-invocation} attempts with
     * doubling backoff while the outcome says retry; in the sweep, one attempt.
     */
    public Sent sendPagerDuty(PagerDutyAction action, String incidentId, io.tocsin.alert.Alert alert, Mode mode) {
        int allowed = mode == Mode.CALLER ? settings.delivery().attemptsPerInvocation() : 1;
        Duration backoff = settings.delivery().initialBackoff();
        List<String> errors = new ArrayList<>();
        Outcome outcome = null;
        int made = 0;
        while (made < allowed) {
            outcome = pagerDuty.send(action, incidentId, alert);
            made++;
            errors.addAll(errorOf(outcome));
            if (!(outcome instanceof Outcome.RetryAfter)) {
                break;
            }
            if (made < allowed) {
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        if (outcome instanceof Outcome.FailedForGood refused) {
            LOG.warnf("PagerDuty refused the %s of incident %s (HTTP %d): %s", action.wire(), incidentId,
                    refused.status(), Texts.log(refused.reason()));
        }
        return new Sent(outcome, made, errors);
    }

    private static Sent once(Outcome outcome) {
        return new Sent(outcome, 1, errorOf(outcome));
    }

    private static List<String> errorOf(Outcome outcome) {
        if (outcome instanceof Outcome.RetryAfter retry) {
            return List.of(retry.reason());
        }
        if (outcome instanceof Outcome.FailedForGood refused) {
            return List.of(refused.reason());
        }
        return List.of();
    }

    private static List<String> triggerErrors(Incident incident) {
        OutboxEntry trigger = latestTriggerBefore(incident.outbox(), incident.outbox().size());
        return trigger == null ? List.of() : trigger.errors();
    }

    private static String messageId(Incident incident, OutboxEntry entry) {
        return incident.id() + "." + entry.id() + "@tocsin";
    }

    /** The entry after {@code sent}, as {@link #recordOutcome} stores it (also used for a new incident's trigger). */
    public OutboxEntry after(OutboxEntry entry, Sent sent, Instant now) {
        int attempts = entry.attempts() + sent.attempts();
        OutboxEntry base = new OutboxEntry(entry.id(), entry.kind(), entry.action(), entry.level(), entry.state(),
                attempts - 1, entry.lastStatus(), entry.errors(), entry.dueAt(), entry.leaseUntil(),
                entry.createdAt(), entry.doneAt());
        Outcome outcome = sent.outcome();
        if (outcome instanceof Outcome.Delivered) {
            return base.attempted(DeliveryState.DELIVERED, outcome.status(), sent.errors(), null, now);
        }
        if (outcome instanceof Outcome.FailedForGood) {
            return base.attempted(DeliveryState.FAILED, outcome.status(), sent.errors(), null, now);
        }
        Outcome.RetryAfter retry = (Outcome.RetryAfter) outcome;
        if (attempts >= settings.delivery().maxAttempts()) {
            List<String> errors = new ArrayList<>(sent.errors());
            errors.add("gave up after " + attempts + " attempts");
            return base.attempted(DeliveryState.FAILED, retry.status(), errors, null, now);
        }
        Duration wait = retry.after() != null ? retry.after() : backoff(attempts);
        return base.attempted(DeliveryState.PENDING, retry.status(), sent.errors(), now.plus(wait), now);
    }

    /** The effects a final outcome adds: a failed page or escalation still reaches a person by email. */
    public List<OutboxEntry> followUps(String incidentId, io.tocsin.alert.Alert alert, OutboxEntry done,
            Instant now) {
        if (done.state() != DeliveryState.FAILED) {
            return List.of();
        }
        return switch (done.kind()) {
            case PAGERDUTY_EVENT -> {
                Severity severity = alert.severity();
                boolean urgent = severity == Severity.CRITICAL || severity == Severity.HIGH;
                yield done.action() == PagerDutyAction.TRIGGER && urgent
                        ? List.of(OutboxEntry.pending(EffectKind.PAGE_FAILED_EMAIL, null, 0, now, null))
                        : List.of();
            }
            case PAGERDUTY_ESCALATION -> List.of(OutboxEntry.pending(EffectKind.ESCALATION_EMAIL, null,
                    done.level(), now, null));
            default -> {
                LOG.errorf("Could not send the %s of incident %s: %s", done.describe(), incidentId,
                        Texts.log(String.join("; ", done.errors())));
                yield List.of();
            }
        };
    }

    private record Recorded(Incident incident, OutboxEntry entry) {
    }

    /**
     * Records what sending entry {@code entryId} came to when the sender is not the dispatcher (a new incident's
     * trigger, sent before its incident was written by someone else); {@code leaseUntil} is the lease it was sent under.
     */
    public Incident recordSent(Incident seen, String entryId, Instant leaseUntil, Sent sent) {
        OutboxEntry entry = seen.outbox().get(seen.positionOf(entryId).orElseThrow()).leased(leaseUntil);
        Recorded recorded = recordOutcome(seen, entry, sent);
        return recorded.incident() != null ? recorded.incident() : reread(seen);
    }

    /**
     * Records what sending {@code entry} came to. A delivery is recorded while the entry is pending whoever holds it
     * now; a retry or failure only while the entry is still under this sender's lease (else a newer sender's outcome
     * stands). Stale views are read again a few times.
     */
    private Recorded recordOutcome(Incident seen, OutboxEntry sentEntry, Sent sent) {
        Incident current = seen;
        for (int round = 0; round < 5; round++) {
            Instant now = clock.instant();
            Optional<Integer> position = current.positionOf(sentEntry.id());
            if (position.isEmpty()) {
                return new Recorded(current, sentEntry);
            }
            OutboxEntry stored = current.outbox().get(position.get());
            boolean delivered = sent.outcome() instanceof Outcome.Delivered;
            boolean stillOurs = java.util.Objects.equals(stored.leaseUntil(), sentEntry.leaseUntil());
            if (!stored.isPending() || (!delivered && !stillOurs)) {
                return new Recorded(current, stored); // someone else's outcome stands
            }
            OutboxEntry updated = after(stored, sent, now);
            List<OutboxEntry> followUps = followUps(current.id(), current.alert(), updated, now);
            if (updated.state() == DeliveryState.FAILED && updated.kind() == EffectKind.PAGERDUTY_EVENT) {
                emf.deliveryFailed();
            }
            String detail = sent.outcome() instanceof Outcome.Delivered accepted ? accepted.detail() : null;
            Optional<Incident> written = outbox.record(current, updated, followUps,
                    List.of(OutboxStore.outcomeEvent(updated, now, detail)));
            if (written.isPresent()) {
                return new Recorded(written.get(), updated);
            }
            current = reread(current);
        }
        return new Recorded(null, sentEntry);
    }

    /** Exponential from the pending retry delay, capped, with ±20 % jitter so that a backlog does not retry in step. */
    Duration backoff(int attempts) {
        Duration base = settings.delivery().pendingRetryDelay();
        int doublings = Math.min(Math.max(attempts - settings.delivery().attemptsPerInvocation(), 0), 16);
        if (doublings == 0) {
            return base; // the first wait after the caller's own attempts
        }
        Duration delay = base.multipliedBy(1L << doublings);
        Duration cap = settings.delivery().maxBackoff();
        if (delay.compareTo(cap) > 0) {
            delay = cap;
        }
        long jitterMillis = (long) (delay.toMillis() * 0.2 * (2 * ThreadLocalRandom.current().nextDouble() - 1));
        return delay.plusMillis(jitterMillis);
    }

}
