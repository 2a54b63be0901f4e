package io.tocsin.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.api.LogFields;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.notify.Effect;
import io.tocsin.notify.Notifier;
import io.tocsin.notify.Outcome;
import io.tocsin.time.Deadline;
import io.tocsin.time.Sleeper;

/**
 * Sends what an incident's outbox holds, from stored state only, and records each outcome (GoAlert's outgoing-message
 * sender, on one item). One loop for every kind of effect: {@link OutboxRules} says what is next (close an entry that
 * is pointless now, or send one), the {@link Notifier} of the entry's kind makes the attempt, {@link OutcomeRecorder}
 * writes the outcome. An entry is taken with a lease (or was written leased to the invocation that caused it), sent,
 * and its outcome written conditionally, so overlapping senders never send it twice at once and a sender that died is
 * replaced once its lease runs out. Adding a channel changes nothing here (see {@link Notifier}).
 */
@Singleton
public class OutboxDispatcher {

    /** Steps per run over one incident: bounds a run over an outbox that keeps changing under it. */
    private static final int MAX_STEPS = 50;

    /** How hard the sender tries now. */
    public enum Mode {
        /** The invocation that caused the effect: a few attempts with short backoff, then it is left to the sweep. */
        CALLER,
        /** The sweep: one attempt per entry per run. */
        SWEEP
    }

    /** What one run over an incident's outbox did. */
    public record Report(Incident incident, int attempts, int delivered, int failed) {
    }

    private final IncidentStore reads;
    private final OutboxStore outbox;
    private final Notifiers notifiers;
    private final OutcomeRecorder recorder;
    private final Effects effects;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final FaultHook faults;

    @Inject
    public OutboxDispatcher(IncidentStore reads, OutboxStore outbox, Notifiers notifiers, OutcomeRecorder recorder,
            Effects effects, Settings settings, Clock clock, Sleeper sleeper, FaultHook faults) {
        this.reads = reads;
        this.outbox = outbox;
        this.notifiers = notifiers;
        this.recorder = recorder;
        this.effects = effects;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.faults = faults;
    }

    /** How long a sender holds an entry ({@code tocsin.delivery.lease}). */
    public Duration lease() {
        return effects.lease();
    }

    /** As {@link Effects#pagerDutyEvent}. */
    public List<OutboxEntry> pagerDutyEvent(PagerDutyAction action, Instant at) {
        return effects.pagerDutyEvent(action, at);
    }

    /** As {@link Effects#escalation}. */
    public OutboxEntry escalation(int level, Instant at) {
        return effects.escalation(level, at);
    }

    /**
     * Sends every entry of {@code incident} that is due and not held, in order, until none is left to send now or the
     * deadline comes. {@code incident} is the state the caller last saw (e.g. its own write's result).
     */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline) {
        return dispatch(incident, mode, deadline, Set.of());
    }

    /**
     * As {@link #dispatch(Incident, Mode, Deadline)}, where {@code owned} are the ids of entries the caller's own state
     * change wrote leased to itself: it sends them without taking them again.
     */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline, Set<String> owned) {
        return dispatch(incident, mode, deadline, owned, entry -> true);
    }

    /** As above, sending only the entries {@code which} accepts (the escalation sweep: not PagerDuty events). */
    public Report dispatch(Incident incident, Mode mode, Deadline deadline, Set<String> owned,
            Predicate<OutboxEntry> which) {
        String previous = LogFields.incident(incident.id());
        try {
            return run(upgraded(incident), mode, deadline, owned, which);
        } finally {
            LogFields.restore(previous);
        }
    }

    private Incident upgraded(Incident incident) {
        if (incident.isPreviousFormat() && incident.hasPendingEffects()) {
            outbox.upgrade(incident);
            return reread(incident);
        }
        return incident;
    }

    /** The loop: what is next → close it, or take it, send it with its kind's notifier, record the outcome. */
    private Report run(Incident incident, Mode mode, Deadline deadline, Set<String> owned,
            Predicate<OutboxEntry> which) {
        Incident current = incident;
        int attempts = 0;
        int delivered = 0;
        int failed = 0;
        for (int step = 0; step < MAX_STEPS && deadline.allows(settings.sweep().stepMargin()); step++) {
            Instant now = clock.instant();
            Optional<OutboxRules.Step> next = OutboxRules.next(current, now, owned, which, notifiers::of);
            if (next.isEmpty()) {
                break;
            }
            if (next.get() instanceof OutboxRules.Close close) {
                OutboxEntry closed = close.entry().closed(close.state(), close.reason(), now);
                Optional<Incident> written = outbox.record(current, closed, List.of(),
                        List.of(OutboxStore.outcomeEvent(closed, now)));
                current = written.isPresent() ? written.get() : reread(current);
                continue;
            }
            OutboxRules.Send send = (OutboxRules.Send) next.get();
            Optional<Incident> taken = take(current, send.entry(), owned, now);
            if (taken.isEmpty()) {
                current = reread(current);
                continue;
            }
            current = taken.get();
            OutboxEntry entry = current.outbox().get(current.positionOf(send.entry().id()).orElseThrow());
            Sent sent = send(send.notifier(), effect(current, entry), mode);
            attempts += sent.attempts();
            faults.reached(FaultPoint.EFFECT_SENT);
            OutcomeRecorder.Recorded recorded = recorder.record(current, entry, sent, send.notifier());
            if (recorded.incident() == null) {
                current = reread(current);
                continue;
            }
            current = recorded.incident();
            delivered += recorded.entry().state() == DeliveryState.DELIVERED ? 1 : 0;
            failed += recorded.entry().state() == DeliveryState.FAILED ? 1 : 0;
            faults.reached(FaultPoint.EFFECT_RECORDED);
        }
        return new Report(current, attempts, delivered, failed);
    }

    /** The incident with {@code entry} leased to this sender: as is when its own write leased it, else claimed. */
    private Optional<Incident> take(Incident current, OutboxEntry entry, Set<String> owned, Instant now) {
        if (entry.leasedAt(now) && owned.contains(entry.id())) {
            return Optional.of(current);
        }
        Optional<Incident> claimed = outbox.claim(current, entry.id(), now.plus(lease()));
        claimed.ifPresent(c -> faults.reached(FaultPoint.EFFECT_CLAIMED));
        return claimed;
    }

    /** What a notifier is given for {@code entry} of {@code incident}. */
    static Effect effect(Incident incident, OutboxEntry entry) {
        return new Effect(incident.id(), incident.alert(), incident.createdAt(), entry, incident.outbox());
    }

    /**
     * One invocation's attempts at {@code effect}: in the caller, up to {@code tocsin.delivery.attempts-per-invocation}
     * with doubling backoff while the outcome says retry, if the notifier retries in the caller; otherwise one.
     */
    Sent send(Notifier notifier, Effect effect, Mode mode) {
        int allowed = mode == Mode.CALLER && notifier.retriesInCaller()
                ? settings.delivery().attemptsPerInvocation() : 1;
        Duration backoff = settings.delivery().initialBackoff();
        List<String> errors = new ArrayList<>();
        Outcome outcome = null;
        int made = 0;
        while (made < allowed) {
            outcome = notifier.send(effect);
            made++;
            errors.addAll(Sent.errorOf(outcome));
            if (!(outcome instanceof Outcome.RetryAfter)) {
                break;
            }
            if (made < allowed) {
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        return new Sent(outcome, made, errors);
    }

    private Incident reread(Incident stale) {
        return reads.findAsStored(stale.id()).orElse(stale);
    }
}
