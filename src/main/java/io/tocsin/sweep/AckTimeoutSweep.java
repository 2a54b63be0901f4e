package io.tocsin.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.EscalationWrites;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * Acknowledgment timeout ({@code TOCSIN_ACK_TIMEOUT}, off by default): an acknowledged incident not resolved within
 * its severity's timeout returns to triggered, pages again and restarts escalation (PagerDuty's acknowledgement
 * timeout, from stored state). PagerDuty does not notify for a trigger on an alert that is acknowledged there, so the
 * page again is a resolve and a trigger under the incident's dedup_key: PagerDuty then opens a new alert and notifies.
 * Each timeout happens once per acknowledgment (a conditional write on the acknowledgment seen), however sweeps
 * overlap; the events go through the outbox like every other.
 */
@Singleton
public class AckTimeoutSweep implements SweepPass {

    static final int MAX_PER_RUN = 500;

    private final IncidentStore incidents;
    private final EscalationWrites writes;
    private final OutboxDispatcher dispatcher;
    private final Settings settings;
    private final FaultHook faults;

    @Inject
    public AckTimeoutSweep(IncidentStore incidents, EscalationWrites writes, OutboxDispatcher dispatcher,
            Settings settings, FaultHook faults) {
        this.incidents = incidents;
        this.writes = writes;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.faults = faults;
    }

    /** The ids of the incidents whose acknowledgment timed out go in {@code acknowledgment_timed_out}. */
    @Override
    public PassReport run(Instant now, Deadline deadline) {
        List<String> repaged = new ArrayList<>();
        boolean leftWork = repage(now, deadline, repaged);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (!repaged.isEmpty()) {
            repaged.forEach(answer.putArray("acknowledgment_timed_out")::add);
        }
        return new PassReport(answer, leftWork);
    }

    /** @return whether it stopped at the deadline */
    private boolean repage(Instant now, Deadline deadline, List<String> repaged) {
        if (settings.shortestAckTimeout().isEmpty()) {
            return false;
        }
        for (Incident incident : incidents.dueForAckTimeout(now, MAX_PER_RUN)) {
            if (!deadline.allows(settings.sweep().stepMargin())) {
                return true;
            }
            if (incident.status() != IncidentStatus.ACKNOWLEDGED || incident.acknowledgedAt() == null) {
                continue;
            }
            Optional<Duration> timeout = settings.ackTimeout(incident.alert().severity());
            Instant due = timeout.map(incident.acknowledgedAt()::plus).orElse(null);
            if (due == null || due.isAfter(now)) {
                writes.rescheduleAckTimeout(incident, due); // its own severity's time, or never
                continue;
            }
            List<OutboxEntry> effects = new ArrayList<>();
            // PagerDuty is paged again if it knows the incident; one with an escalation policy that never paged
            // PagerDuty is paged again by its policy, which restarts (docs/oncall.md)
            if (incident.policy() == null || incident.outbox().stream().anyMatch(e ->
                    e.kind() == EffectKind.PAGERDUTY_EVENT && e.state() == DeliveryState.DELIVERED)) {
                effects.addAll(dispatcher.pagerDutyEvent(PagerDutyAction.RESOLVE, now));
                effects.addAll(dispatcher.pagerDutyEvent(PagerDutyAction.TRIGGER, now));
            }
            Optional<Incident> triggered = writes.ackTimedOut(incident, now, effects);
            if (triggered.isEmpty()) {
                continue; // resolved meanwhile, or another sweep did it
            }
            faults.reached(FaultPoint.EFFECT_WRITTEN);
            Set<String> owned = effects.stream().map(OutboxEntry::id).collect(Collectors.toSet());
            dispatcher.dispatch(triggered.get(), OutboxDispatcher.Mode.SWEEP, deadline, owned);
            repaged.add(incident.id());
        }
        return false;
    }
}
