package io.tocsin.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.api.Actor;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.emf.Emf;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.time.Deadline;

/**
 * Acknowledge and resolve: one conditional write makes the state change and puts its PagerDuty event in the outbox,
 * pending and leased to this invocation; then the outbox sends it (after any earlier event of the incident, so that
 * PagerDuty receives trigger, acknowledge, resolve in that order) and records the outcome. An invocation that dies
 * after the write leaves the event pending: the sweep sends it when the lease runs out. Never suppressed by maintenance
 * windows or dedup.
 */
@Singleton
public class IncidentLifecycle {

    /** Resolution notes: required, and at most this long (our own bound; they are stored in the incident item). */
    public static final int MAX_RESOLUTION_NOTES_CHARS = 10_000;
    /** Names of people and systems acting on an incident. */
    public static final int MAX_ACTOR_CHARS = 255;
    public static final String DEFAULT_ACTOR = "unknown";

    private final IncidentTransitions writes;
    private final OutboxDispatcher dispatcher;
    private final Clock clock;
    private final FaultHook faults;
    private final Emf emf;

    @Inject
    public IncidentLifecycle(IncidentTransitions writes, OutboxDispatcher dispatcher, Clock clock, FaultHook faults,
            Emf emf) {
        this.writes = writes;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.faults = faults;
        this.emf = emf;
    }

    public Transition acknowledge(String id, String by) {
        return acknowledge(id, by, null);
    }

    /** An acknowledgment by {@code by} (typed), made by {@code actor} (authenticated; null: not recorded). */
    public Transition acknowledge(String id, String by, Actor actor) {
        io.tocsin.api.LogFields.incident(id);
        Instant now = clock.instant();
        List<OutboxEntry> effects = dispatcher.pagerDutyEvent(PagerDutyAction.ACKNOWLEDGE, now);
        return sendAfter(emitted(writes.acknowledge(id, actor(by), actor == null ? null : actor.id(), null, now,
                effects)), effects);
    }

    public Transition resolve(String id, String notes, String by) {
        return resolve(id, notes, by, null);
    }

    /** A resolve by {@code by} (typed), made by {@code actor} (authenticated; null: not recorded). */
    public Transition resolve(String id, String notes, String by, Actor actor) {
        io.tocsin.api.LogFields.incident(id);
        Instant now = clock.instant();
        List<OutboxEntry> effects = dispatcher.pagerDutyEvent(PagerDutyAction.RESOLVE, now);
        return sendAfter(emitted(writes.resolve(id, actor(by), actor == null ? null : actor.id(), notes, now,
                effects)), effects);
    }

    /** An acknowledgment made in PagerDuty: applied here as if made here, and not echoed back. */
    public Transition acknowledgedInPagerDuty(String id, String agent, String webhookId) {
        io.tocsin.api.LogFields.incident(id);
        Instant now = clock.instant();
        Transition transition = writes.acknowledge(id, "PagerDuty: " + agent,
                "synced from PagerDuty (webhook " + webhookId + ")", now, List.of());
        faults.reached(FaultPoint.EFFECT_WRITTEN);
        return emitted(transition);
    }

    /** A resolution made in PagerDuty, which has no notes: they say who resolved it there, and why if PagerDuty says. */
    public Transition resolvedInPagerDuty(String id, String agent, String reason, String webhookId) {
        io.tocsin.api.LogFields.incident(id);
        Instant now = clock.instant();
        String notes = "Resolved in PagerDuty by " + agent + (reason == null || reason.isBlank() ? "" : ": " + reason);
        Transition transition = writes.resolve(id, "PagerDuty: " + agent, notes, now, List.of());
        faults.reached(FaultPoint.EFFECT_WRITTEN);
        return emitted(transition);
    }

    /** An applied acknowledgment or resolution: TimeToAcknowledge / TimeToResolve. Returns its argument. */
    private Transition emitted(Transition transition) {
        if (transition instanceof Transition.Applied applied) {
            Incident incident = applied.incident();
            if (incident.status() == IncidentStatus.RESOLVED && incident.timeToResolve() != null) {
                emf.resolved(incident.timeToResolve());
            } else if (incident.status() == IncidentStatus.ACKNOWLEDGED && incident.timeToAcknowledge() != null) {
                emf.acknowledged(incident.timeToAcknowledge());
            }
        }
        return transition;
    }

    private Transition sendAfter(Transition transition, List<OutboxEntry> effects) {
        if (!(transition instanceof Transition.Applied applied)) {
            return transition;
        }
        faults.reached(FaultPoint.EFFECT_WRITTEN);
        Set<String> owned = effects.stream().map(OutboxEntry::id).collect(Collectors.toSet());
        return new Transition.Applied(dispatcher.dispatch(applied.incident(), OutboxDispatcher.Mode.CALLER,
                Deadline.NONE, owned).incident());
    }

    private static String actor(String by) {
        return by == null || by.isBlank() ? DEFAULT_ACTOR : by.trim();
    }
}
