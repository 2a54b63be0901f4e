package io.tocsin.redelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.notify.EmailNotifier;
import io.tocsin.pagerduty.PagerDutyNotifier;

/**
 * Delivers PagerDuty events left pending (PagerDuty slow, rate-limiting or down), from stored state only: per incident
 * in order trigger → acknowledge → resolve, one attempt per event per run, with exponential backoff and jitter, at
 * most {@code tocsin.delivery.max-per-sweep} events a run (PagerDuty's rate limit). Each event is claimed by a
 * conditional write before it is sent, so overlapping sweeps never send it twice. An event given up as failed
 * sends a fallback email for critical incidents, so a human still hears of them.
 */
@Singleton
public class Redelivery {

    private static final Logger LOG = Logger.getLogger(Redelivery.class);
    /** How long a claimed event is kept from other sweeps: longer than one HTTP attempt. */
    static final Duration CLAIM = Duration.ofSeconds(30);
    static final int MAX_INCIDENTS_PER_RUN = 500;

    public record Report(int sent, int delivered, int failed) {
    }

    private final IncidentStore incidents;
    private final PagerDutyNotifier pagerDuty;
    private final EmailNotifier email;
    private final Settings settings;

    @Inject
    public Redelivery(IncidentStore incidents, PagerDutyNotifier pagerDuty, EmailNotifier email, Settings settings) {
        this.incidents = incidents;
        this.pagerDuty = pagerDuty;
        this.email = email;
        this.settings = settings;
    }

    public Report run(Instant now) {
        int budget = settings.delivery().maxPerSweep();
        int sent = 0;
        int delivered = 0;
        int failed = 0;
        for (Incident due : incidents.dueForDelivery(now, MAX_INCIDENTS_PER_RUN)) {
            Incident current = due;
            for (PagerDutyAction action : PagerDutyAction.values()) {
                Delivery pending = current.deliveries().get(action);
                if (pending == null || pending.state() != DeliveryState.PENDING) {
                    continue;
                }
                if (budget == 0 || pending.nextAttempt() == null || pending.nextAttempt().isAfter(now)) {
                    break; // later events of this incident wait behind this one
                }
                Optional<Incident> claimed = incidents.claimDelivery(current.id(), action, pending.nextAttempt(),
                        now.plus(CLAIM));
                if (claimed.isEmpty()) {
                    break; // an overlapping sweep has it
                }
                Delivery outcome = heldBack(current, action)
                        .orElseGet(() -> pagerDuty.redeliver(due.id(), due.alert(), action, pending));
                if (outcome.attempts() > pending.attempts()) {
                    sent++;
                    budget--;
                }
                current = incidents.recordDelivery(current.id(), action, outcome, now,
                        claimed.get().nextPendingExcept(action));
                if (outcome.state() == DeliveryState.DELIVERED) {
                    delivered++;
                    continue;
                }
                if (outcome.state() == DeliveryState.FAILED) {
                    failed++;
                    io.tocsin.metrics.Emf.deliveryFailed(now);
                    fallback(current, action, outcome, now);
                }
                break;
            }
        }
        return new Report(sent, delivered, failed);
    }

    /** Events after a trigger PagerDuty refused are never sent (PagerDuty would drop them). */
    private static Optional<Delivery> heldBack(Incident incident, PagerDutyAction action) {
        Delivery trigger = incident.deliveries().get(PagerDutyAction.TRIGGER);
        if (action != PagerDutyAction.TRIGGER && trigger != null && trigger.state() == DeliveryState.FAILED) {
            return Optional.of(new Delivery(DeliveryState.FAILED, 0, 0,
                    java.util.List.of("not sent: PagerDuty refused this incident's trigger"), null, false));
        }
        return Optional.empty();
    }


    private void fallback(Incident incident, PagerDutyAction action, Delivery outcome, Instant now) {
        if (action != PagerDutyAction.TRIGGER || incident.alert().severity() != Severity.CRITICAL) {
            return;
        }
        LOG.errorf("Could not page incident %s through PagerDuty: %s", incident.id(), outcome.errors());
        String result = email.send(settings.summaryEmail().recipients(),
                "[Tocsin] PagerDuty could not be paged: " + incident.alert().title(),
                "Tocsin could not deliver the page for critical incident " + incident.id() + " to PagerDuty after "
                        + outcome.attempts() + " attempts.\n\nAlert: " + incident.alert().title() + "\nSource: "
                        + incident.alert().source() + "\nSince: " + incident.createdAt() + "\nErrors: "
                        + String.join("; ", outcome.errors()));
        incidents.note(incident.id(), new TimelineEvent(now, TimelineEvent.Type.DELIVERY_FAILED, "tocsin",
                "fallback: " + result));
    }
}
