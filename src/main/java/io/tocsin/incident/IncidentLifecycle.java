package io.tocsin.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.pagerduty.PagerDutyNotifier;

/**
 * Acknowledge and resolve: the state change first (one conditional write, which decides every race), then the
 * PagerDuty event, then its outcome. Never suppressed by maintenance windows or dedup. A PagerDuty event is held back
 * while an earlier event of the same incident is still pending, so PagerDuty receives trigger, acknowledge, resolve in
 * that order (the sweep sends what is held).
 */
@Singleton
public class IncidentLifecycle {

    /** Resolution notes: required, and at most this long (our own bound; they are stored in the incident item). */
    public static final int MAX_RESOLUTION_NOTES_CHARS = 10_000;
    /** Names of people and systems acting on an incident. */
    public static final int MAX_ACTOR_CHARS = 255;
    public static final String DEFAULT_ACTOR = "unknown";

    private final IncidentStore incidents;
    private final PagerDutyNotifier pagerDuty;
    private final Clock clock;

    @Inject
    public IncidentLifecycle(IncidentStore incidents, PagerDutyNotifier pagerDuty, Clock clock) {
        this.incidents = incidents;
        this.pagerDuty = pagerDuty;
        this.clock = clock;
    }

    public IncidentStore.Transition acknowledge(String id, String by) {
        Instant now = clock.instant();
        var transition = incidents.acknowledge(id, actor(by), null, now);
        io.tocsin.metrics.Emf.transitioned(transition, now);
        return notifyPagerDuty(transition, PagerDutyAction.ACKNOWLEDGE);
    }

    public IncidentStore.Transition resolve(String id, String notes, String by) {
        Instant now = clock.instant();
        var transition = incidents.resolve(id, actor(by), notes, now);
        io.tocsin.metrics.Emf.transitioned(transition, now);
        return notifyPagerDuty(transition, PagerDutyAction.RESOLVE);
    }

    /** An acknowledgment made in PagerDuty: applied here as if made here, and not echoed back. */
    public IncidentStore.Transition acknowledgedInPagerDuty(String id, String agent, String webhookId) {
        return io.tocsin.metrics.Emf.transitioned(incidents.acknowledge(id, "PagerDuty: " + agent,
                "synced from PagerDuty (webhook " + webhookId + ")", clock.instant()), clock.instant());
    }

    /** A resolution made in PagerDuty, which has no notes: they say who resolved it there, and why if PagerDuty says. */
    public IncidentStore.Transition resolvedInPagerDuty(String id, String agent, String reason, String webhookId) {
        String notes = "Resolved in PagerDuty by " + agent + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return io.tocsin.metrics.Emf.transitioned(incidents.resolve(id, "PagerDuty: " + agent, notes, clock.instant()),
                clock.instant());
    }

    private IncidentStore.Transition notifyPagerDuty(IncidentStore.Transition transition, PagerDutyAction action) {
        if (!(transition instanceof IncidentStore.Transition.Applied applied)) {
            return transition;
        }
        Incident incident = applied.incident();
        Instant now = clock.instant();
        Delivery delivery = heldBack(incident, action, now);
        if (delivery == null) {
            delivery = pagerDuty.follow(incident.id(), action);
        }
        return new IncidentStore.Transition.Applied(
                incidents.recordDelivery(incident.id(), action, delivery, now,
                        incident.nextPendingExcept(action)));
    }

    /** The outcome for an event that must not be sent now because of what happened to the events before it. */
    private Delivery heldBack(Incident incident, PagerDutyAction action, Instant now) {
        for (PagerDutyAction earlier : List.of(PagerDutyAction.values())) {
            if (earlier.ordinal() >= action.ordinal()) {
                break;
            }
            Delivery before = incident.deliveries().get(earlier);
            if (before == null) {
                continue;
            }
            switch (before.state()) {
                case PENDING:
                    return new Delivery(DeliveryState.PENDING, 0, 0,
                            List.of("held until the pending " + earlier.wire() + " is delivered"),
                            before.nextAttempt() != null ? before.nextAttempt() : now, true);
                case FAILED:
                    if (earlier == PagerDutyAction.TRIGGER) {
                        return new Delivery(DeliveryState.FAILED, 0, 0,
                                List.of("not sent: PagerDuty refused this incident's trigger"), null, false);
                    }
                    break;
                case DISABLED:
                    if (earlier == PagerDutyAction.TRIGGER) {
                        return Delivery.disabled();
                    }
                    break;
                default:
                    break;
            }
        }
        return null;
    }

    private static String actor(String by) {
        return by == null || by.isBlank() ? DEFAULT_ACTOR : by.trim();
    }
}
