package io.tocsin.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.TimelineEvent;

/**
 * Escalates unacknowledged critical incidents level by level: level 2 at ALERT_ESCALATION_TIMEOUT after creation,
 * level 3 at twice that, … up to {@code tocsin.escalation.max-level}. Works only from stored state through the
 * {@code escalation-due} index (cost proportional to the incidents due). Each level is one conditional write, so a
 * level happens once per incident however sweeps overlap or retry; a sweep after an outage catches up level by level.
 */
@Singleton
public class EscalationSweep {

    /** Incidents looked at per run; the rest wait for the next minute. */
    static final int MAX_PER_RUN = 500;

    private final IncidentStore incidents;
    private final EscalationAction action;
    private final Settings settings;
    private final EscalationConfig config;

    @Inject
    public EscalationSweep(IncidentStore incidents, EscalationAction action, Settings settings,
            EscalationConfig config) {
        this.incidents = incidents;
        this.action = action;
        this.settings = settings;
        this.config = config;
    }

    /** @return the ids of the incidents this run escalated (the original design's check_escalation) */
    public List<String> run(Instant now) {
        List<String> escalated = new ArrayList<>();
        for (Incident due : incidents.dueForEscalation(now, MAX_PER_RUN)) {
            Incident current = due;
            while (isDue(current, now)) {
                int level = current.escalationLevel() + 1;
                Instant nextDue = level < config.maxLevel()
                        ? current.createdAt().plus(settings.escalationTimeout().multipliedBy(level)) : null;
                Optional<Incident> raised = incidents.escalate(current.id(), current.escalationLevel(), nextDue,
                        "unacknowledged for " + minutes(Duration.between(current.createdAt(), now)), now);
                if (raised.isEmpty()) {
                    break; // another sweep raised it, or it was acknowledged or resolved meanwhile
                }
                current = raised.get();
                io.tocsin.metrics.Emf.escalated(now);
                String outcome = action.escalate(current, level);
                incidents.note(current.id(), new TimelineEvent(now, TimelineEvent.Type.ESCALATED, "tocsin", outcome));
                if (!escalated.contains(current.id())) {
                    escalated.add(current.id());
                }
            }
        }
        return escalated;
    }

    private boolean isDue(Incident incident, Instant now) {
        return incident.status() == IncidentStatus.TRIGGERED && incident.nextEscalationAt() != null
                && !incident.nextEscalationAt().isAfter(now) && incident.escalationLevel() < config.maxLevel();
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() + " min";
    }
}
