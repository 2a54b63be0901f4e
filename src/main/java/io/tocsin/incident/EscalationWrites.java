package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema.Index;
import io.tocsin.store.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The writes of escalation: an unacknowledged incident raised to its next level, and an acknowledgment that timed out
 * (paging again) or whose look moves. Each is one conditional UpdateItem that also appends the change to the timeline
 * and the outward effects it causes to the outbox (pending); an overlapping or retried sweep changes nothing twice.
 */
@Singleton
public class EscalationWrites {

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final IncidentStore reads;
    private final OutboxStore outbox;

    @Inject
    public EscalationWrites(DynamoDbClient dynamo, Settings settings, IncidentStore reads, OutboxStore outbox) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.reads = reads;
        this.outbox = outbox;
    }

    /**
     * Raises an unacknowledged incident from {@code fromLevel} to the next level, once, with the escalation's effects:
     * an overlapping or retried sweep finds the level already raised and changes nothing.
     *
     * @param nextDue when the level after this one is due, or null when this is the last level
     */
    public Optional<Incident> escalate(String id, int fromLevel, Instant nextDue, String detail, Instant at,
            List<OutboxEntry> effects) {
        for (int round = 0;; round++) {
            int level = fromLevel + 1;
            Update update = new Update().set(ESCALATION_LEVEL, n(level))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ESCALATED, "tocsin",
                            "level " + level + (detail == null ? "" : ": " + detail)))));
            if (nextDue != null) {
                update.set(NEXT_ESCALATION_MS, n(nextDue.toEpochMilli()));
                IndexEntry.escalationDue(nextDue, id).setIn(update);
            } else {
                IndexEntry.removeFrom(Index.ESCALATION_DUE, update.remove(NEXT_ESCALATION_MS));
            }
            OutboxStore.appendEffects(update, id, effects);
            update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " AND "
                    + update.name(ESCALATION_LEVEL) + " = " + update.value(n(fromLevel)) + " AND "
                    + OutboxStore.currentFormat(update));
            try {
                return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(
                        settings.tableName(), key(id), ReturnValue.ALL_NEW)).attributes())));
            } catch (ConditionalCheckFailedException alreadyRaisedOrAnswered) {
                Optional<Incident> current = reads.findAsStored(id);
                if (round == 0 && current.isPresent() && current.get().isPreviousFormat()) {
                    outbox.upgrade(current.get());
                    continue;
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Moves an acknowledged incident's look in the acknowledgment-timeout partition to {@code nextLook}, or out of it
     * (null), if it is still the acknowledgment the sweep saw.
     */
    public void rescheduleAckTimeout(Incident incident, Instant nextLook) {
        Update update = new Update();
        if (nextLook == null) {
            IndexEntry.removeFrom(Index.ESCALATION_DUE, update);
        } else {
            IndexEntry.ackTimeoutDue(nextLook, incident.id()).setIn(update);
        }
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + " AND "
                + update.name(ACKNOWLEDGED_MS) + " = " + update.value(n(incident.acknowledgedAt().toEpochMilli())));
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(incident.id()), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            // resolved, or acknowledged again: nothing to move
        }
    }

    /**
     * acknowledged → triggered: the acknowledgment timed out. Once per acknowledgment (the condition pins the one the
     * sweep saw), with the effects that page again, and escalation restarting from level 1 (an incident with an
     * escalation policy: the policy from its first step, at once).
     */
    public Optional<Incident> ackTimedOut(Incident incident, Instant at, List<OutboxEntry> effects) {
        Update update = new Update()
                .set(STATUS, s(IncidentStatus.TRIGGERED.wire()))
                .set(ESCALATION_LEVEL, n(incident.policy() != null ? 0 : 1))
                .remove(ACKNOWLEDGED_MS).remove(ACKNOWLEDGED_BY).remove(ACKNOWLEDGED_ACTOR)
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ACK_TIMED_OUT, "tocsin",
                        "acknowledged by " + incident.acknowledgedBy() + " at " + incident.acknowledgedAt()
                                + " but not resolved: paging again"))));
        if (incident.policy() != null) {
            // the policy starts over at its first step, due now (the sweep writes it, with new entry ids)
            update.set(POLICY_START_MS, n(at.toEpochMilli()))
                    .set(NEXT_ESCALATION_MS, n(at.toEpochMilli()));
            IndexEntry.escalationDue(at, incident.id()).setIn(update);
        } else if (settings.escalatingSeverities().contains(incident.alert().severity())) {
            Instant due = at.plus(settings.escalationTimeout());
            update.set(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            IndexEntry.escalationDue(due, incident.id()).setIn(update);
        } else {
            IndexEntry.removeFrom(Index.ESCALATION_DUE, update);
        }
        OutboxStore.appendEffects(update, incident.id(), effects);
        update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + " AND "
                + update.name(ACKNOWLEDGED_MS) + " = " + update.value(n(incident.acknowledgedAt().toEpochMilli()))
                + " AND " + OutboxStore.currentFormat(update));
        try {
            return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(settings.tableName(),
                    key(incident.id()), ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException resolvedOrTakenByAnotherSweep) {
            return Optional.empty();
        }
    }
}
