package io.tocsin.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.EscalationConfig;
import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.emf.Emf;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.EscalationWrites;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * Escalates unacknowledged incidents level by level: level 2 at ALERT_ESCALATION_TIMEOUT after creation, level 3 at
 * twice that, … up to {@code tocsin.escalation.max-level}. Works only from stored state through the
 * {@code escalation-due} index (cost proportional to the incidents due). Each level is one conditional write that also
 * puts the escalation's action (PagerDuty REST, or email) in the incident's outbox, leased to this run, which then
 * sends it; a run that dies leaves it to the outbox sweep. A level happens once per incident however sweeps overlap
 * or retry; a sweep after an outage catches up level by level. An incident with an escalation policy is escalated by
 * its policy's steps instead ({@link PolicySteps}), through the same index and writes.
 */
@Singleton
public class EscalationSweep implements SweepPass {

    /** Incidents looked at per run; the rest wait for the next minute. */
    static final int MAX_PER_RUN = 500;

    public record Report(List<String> escalated, boolean complete) {
    }

    private final IncidentStore incidents;
    private final EscalationWrites writes;
    private final OutboxDispatcher dispatcher;
    private final Settings settings;
    private final EscalationConfig config;
    private final FaultHook faults;
    private final Emf emf;
    private final PolicySteps policies;

    @Inject
    public EscalationSweep(IncidentStore incidents, EscalationWrites writes, OutboxDispatcher dispatcher,
            Settings settings, EscalationConfig config, FaultHook faults, Emf emf, PolicySteps policies) {
        this.policies = policies;
        this.faults = faults;
        this.emf = emf;
        this.incidents = incidents;
        this.writes = writes;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.config = config;
    }

    /** @return the ids of the incidents this run escalated (the original design's check_escalation) */
    public List<String> run(Instant now) {
        return escalate(now, Deadline.NONE).escalated();
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        Report report = escalate(now, deadline);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        report.escalated().forEach(answer.putArray("escalated")::add);
        return new PassReport(answer, !report.complete());
    }

    private java.time.Duration margin() {
        return settings.sweep().stepMargin();
    }

    Report escalate(Instant now, Deadline deadline) {
        List<String> escalated = new ArrayList<>();
        for (Incident due : incidents.dueForEscalation(now, MAX_PER_RUN)) {
            if (due.policy() != null) {
                if (!policies.run(due, now, deadline, escalated)) {
                    return new Report(escalated, false);
                }
                continue;
            }
            Incident current = due;
            while (isDue(current, now)) {
                if (!deadline.allows(margin())) {
                    return new Report(escalated, false);
                }
                int level = current.escalationLevel() + 1;
                Instant nextDue = level < config.maxLevel()
                        ? current.createdAt().plus(settings.escalationTimeout().multipliedBy(level)) : null;
                OutboxEntry action = dispatcher.escalation(level, now);
                Optional<Incident> raised = writes.escalate(current.id(), current.escalationLevel(), nextDue,
                        "unacknowledged for " + minutes(Duration.between(current.createdAt(), now)), now,
                        List.of(action));
                if (raised.isEmpty()) {
                    break; // another sweep raised it, or it was acknowledged or resolved meanwhile
                }
                emf.escalated();
                faults.reached(FaultPoint.EFFECT_WRITTEN);
                // the escalation's action (and an email it falls back to), not the incident's PagerDuty events:
                // those are the outbox sweep's, after escalations, so that a slow PagerDuty delays no escalation
                current = dispatcher.dispatch(raised.get(), OutboxDispatcher.Mode.SWEEP, deadline,
                        java.util.Set.of(action.id()), entry -> entry.kind() != EffectKind.PAGERDUTY_EVENT).incident();
                if (!escalated.contains(current.id())) {
                    escalated.add(current.id());
                }
            }
        }
        return new Report(escalated, true);
    }

    private boolean isDue(Incident incident, Instant now) {
        return incident.policy() == null && incident.status() == IncidentStatus.TRIGGERED
                && incident.nextEscalationAt() != null
                && !incident.nextEscalationAt().isAfter(now) && incident.escalationLevel() < config.maxLevel();
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() + " min";
    }
}
