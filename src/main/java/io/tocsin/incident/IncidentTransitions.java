package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.api.Actor;
import io.tocsin.config.Settings;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.notify.Texts;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.store.TableSchema.Index;
import io.tocsin.store.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The transitions of an incident a person (or PagerDuty) answers: triggered → acknowledged, and triggered or
 * acknowledged → resolved. Each is one conditional UpdateItem that also appends the change to the timeline and the
 * outward effects it causes to the outbox (pending), so state, timeline and outbox can never disagree. An item in the
 * format before the outbox is upgraded by {@link OutboxStore#upgrade} on its first change.
 */
@Singleton
public class IncidentTransitions {

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final IncidentStore reads;
    private final OutboxStore outbox;
    private final IncidentWrites writes;

    @Inject
    public IncidentTransitions(DynamoDbClient dynamo, Settings settings, IncidentStore reads, OutboxStore outbox,
            IncidentWrites writes) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.reads = reads;
        this.outbox = outbox;
        this.writes = writes;
    }

    /** triggered → acknowledged, with the effects it causes. Stops escalation. */
    public Transition acknowledge(String id, String by, String detail, Instant at, List<OutboxEntry> effects) {
        return acknowledge(id, by, null, detail, at, effects);
    }

    /** As above, recording {@code actor} (who AWS authenticated, io.tocsin.api.Actor) next to the typed name. */
    public Transition acknowledge(String id, String by, String actor, String detail, Instant at,
            List<OutboxEntry> effects) {
        return transition(id, IncidentStatus.ACKNOWLEDGED, () -> {
            Update update = new Update()
                    .set(STATUS, s(IncidentStatus.ACKNOWLEDGED.wire()))
                    .set(ACKNOWLEDGED_MS, n(at.toEpochMilli()))
                    .set(ACKNOWLEDGED_BY, s(Texts.cut(by, IncidentLifecycle.MAX_ACTOR_CHARS)))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.ACKNOWLEDGED, by,
                            detail))))
                    .remove(NEXT_ESCALATION_MS);
            if (actor != null) {
                update.set(ACKNOWLEDGED_ACTOR, s(Texts.cut(actor, Actor.MAX_CHARS)));
            }
            var lookAt = settings.shortestAckTimeout().map(at::plus);
            if (lookAt.isPresent()) {
                // the sweep looks then, and knows the incident's severity: its own timeout, or none
                IndexEntry.ackTimeoutDue(lookAt.get(), id).setIn(update);
            } else {
                IndexEntry.removeFrom(Index.ESCALATION_DUE, update);
            }
            OutboxStore.appendEffects(update, id, effects);
            update.condition(update.name(STATUS) + " = " + update.value(s(IncidentStatus.TRIGGERED.wire()))
                    + " AND " + OutboxStore.currentFormat(update));
            return update;
        });
    }

    /**
     * triggered or acknowledged → resolved, with the effects it causes. Leaves the open index and escalation, and
     * enters the closed incidents of the day (a {@code CLOSED#<day>} partition of the escalation-due index). Then
     * closes the incident's dedup claim (the next alert of its key opens a new incident) and folds the claim's final
     * duplicate count into the item: two more requests. The resolve marks the item {@code duplicates_unfolded} until
     * that fold, so that an invocation dying in between leaves reads folding from the claim, never a lost count; an
     * alert arriving before the claim is closed is counted as a duplicate of this incident (and told so), and the
     * first alert that finds the incident resolved closes the claim itself (DedupStage).
     */
    public Transition resolve(String id, String by, String notes, Instant at, List<OutboxEntry> effects) {
        return resolve(id, by, null, notes, at, effects);
    }

    /** As above, recording {@code actor} (who AWS authenticated, io.tocsin.api.Actor) next to the typed name. */
    public Transition resolve(String id, String by, String actor, String notes, Instant at,
            List<OutboxEntry> effects) {
        Transition transition = transition(id, IncidentStatus.RESOLVED, () -> {
            Update update = new Update()
                    .set(STATUS, s(IncidentStatus.RESOLVED.wire()))
                    .set(RESOLVED_MS, n(at.toEpochMilli()))
                    .set(RESOLVED_BY, s(Texts.cut(by, IncidentLifecycle.MAX_ACTOR_CHARS)))
                    // the notes once (at most 10,000 characters, IncidentLifecycle): the timeline's event shows them
                    .set(RESOLUTION_NOTES, s(Texts.cut(notes, IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS)))
                    .set(DUPLICATES_UNFOLDED, Attr.bool(true))
                    .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.RESOLVED, by, null))))
                    .remove(NEXT_ESCALATION_MS);
            if (actor != null) {
                update.set(RESOLVED_ACTOR, s(Texts.cut(actor, Actor.MAX_CHARS)));
            }
            IndexEntry.removeFrom(Index.OPEN, update);
            // out of escalation, into the escalation-due index's CLOSED partition of the day, in the same write: the
            // sweep folds it into the metrics rollups from there (io.tocsin.metrics.Rollups)
            IndexEntry.closed(at, id).setIn(update);
            // from now on it may expire (TOCSIN_RETENTION): DynamoDB's time to live deletes it with its index entries
            settings.expiresAt(at).ifPresent(epoch -> update.set(TableSchema.TTL_ATTRIBUTE, n(epoch)));
            OutboxStore.appendEffects(update, id, effects);
            String status = update.name(STATUS);
            update.condition("(" + status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR "
                    + status + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + ") AND "
                    + OutboxStore.currentFormat(update));
            return update;
        });
        if (transition instanceof Transition.Applied applied) {
            return new Transition.Applied(writes.closeClaim(applied.incident()));
        }
        if (transition instanceof Transition.AlreadyDone done && done.incident().status()
                == IncidentStatus.RESOLVED && hasUnfoldedDuplicates(id)) {
            // a retried resolve whose first attempt died before closing the claim finishes it
            return new Transition.AlreadyDone(writes.closeClaim(done.incident()));
        }
        return transition;
    }

    private boolean hasUnfoldedDuplicates(String id) {
        var item = dynamo.getItem(b -> b.tableName(settings.tableName()).key(key(id)).consistentRead(true)
                .projectionExpression("#u").expressionAttributeNames(Map.of("#u", DUPLICATES_UNFOLDED))).item();
        return item != null && item.containsKey(DUPLICATES_UNFOLDED);
    }

    private Transition transition(String id, IncidentStatus target, java.util.function.Supplier<Update> change) {
        for (int round = 0;; round++) {
            try {
                var response = dynamo.updateItem(change.get().request(settings.tableName(), key(id),
                        ReturnValue.ALL_NEW));
                return new Transition.Applied(outbox.withinBudget(fromItem(response.attributes())));
            } catch (ConditionalCheckFailedException notAllowed) {
                Optional<Incident> current = reads.findAsStored(id);
                if (current.isEmpty()) {
                    return new Transition.NotFound();
                }
                if (current.get().isPreviousFormat() && round == 0) {
                    outbox.upgrade(current.get());
                    continue; // the condition failed on the format: try again on the upgraded item
                }
                return current.get().status() == target ? new Transition.AlreadyDone(current.get())
                        : new Transition.Conflict(current.get());
            }
        }
    }
}
