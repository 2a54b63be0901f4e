package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.dedup.DedupStore;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.oncall.runtime.PolicyRouter;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.store.TableSchema.Index;
import io.tocsin.store.Update;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The writes of a new incident and of its duplicates: the incident opened by an alert, a suppressed alert's record,
 * a repeat forwarded to PagerDuty, and the dedup claim's count folded in. The state changes of an incident once
 * written are {@link IncidentTransitions}' (acknowledge, resolve) and {@link EscalationWrites}' (escalation and the
 * acknowledgment timeout). Each write is one conditional request that also appends the change to the timeline and the
 * outward effects it causes to the outbox (pending), so state, timeline and outbox can never disagree (DynamoDB
 * transactions are not available in dynalite, and are not needed).
 */
@Singleton
public class IncidentWrites {

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final OutboxStore outbox;

    private final DedupStore claims;

    @Inject
    public IncidentWrites(DynamoDbClient dynamo, Settings settings, OutboxStore outbox, DedupStore claims) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.outbox = outbox;
        this.claims = claims;
    }

    /**
     * Writes the incident opened by {@code alert}, with its outbox (the trigger first, as sent or still pending). One
     * conditional PutItem, applied only if the incident was not recorded yet (a recovering retry or the sweep may race
     * the original). Nothing is read back. Duplicates are counted on the dedup claim, not here (a bare item the
     * previous version's duplicates wrote before the incident is replaced: the claim's count includes them).
     *
     * @return false when the incident had already been recorded
     */
    public boolean recordTriggered(String id, Alert alert, byte[] storedAlert, List<OutboxEntry> effects,
            Instant createdAt) {
        return recordTriggered(id, alert, storedAlert, effects, createdAt, null);
    }

    /**
     * As above, for an incident routed to an escalation policy ({@code first} null: none): the policy's id and start
     * are stored, its first step counted as written ({@code escalation_level} 1; its notifications are in
     * {@code effects}) and the incident put in the escalation-due index at the next step's time, whatever its
     * severity. An older version reading the item ignores the policy and escalates it by level.
     */
    public boolean recordTriggered(String id, Alert alert, byte[] storedAlert, List<OutboxEntry> effects,
            Instant createdAt, PolicyRouter.FirstStep first) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        item.putAll(common(id, alert, storedAlert, createdAt));
        item.put(STATUS, s(IncidentStatus.TRIGGERED.wire()));
        item.put(OUTBOX, entries(effects));
        item.put(OUTBOX_VERSION, n(1));
        item.put(FORMAT_ATTRIBUTE, n(FORMAT));
        item.putAll(OutboxStore.deliveryIndexKeys(id, effects));
        item.putAll(IndexEntry.open(createdAt, id).attributes());
        item.put(ESCALATION_LEVEL, n(1));
        item.put(REPEAT_DUE_MS, n(createdAt.plus(settings.dedupWindow()).toEpochMilli()));
        if (first != null) {
            item.put(POLICY, s(first.policy()));
            item.put(POLICY_START_MS, n(createdAt.toEpochMilli()));
        }
        if (first != null || settings.escalatingSeverities().contains(alert.severity())) {
            Instant due = first != null ? first.nextDue() : createdAt.plus(settings.escalationTimeout());
            item.put(NEXT_ESCALATION_MS, n(due.toEpochMilli()));
            item.putAll(IndexEntry.escalationDue(due, id).attributes());
        }
        List<TimelineEvent> events = new ArrayList<>();
        events.add(new TimelineEvent(createdAt, TimelineEvent.Type.TRIGGERED, alert.source(),
                alert.severity().wire() + ": " + alert.title()));
        effects.stream().filter(e -> e.attempts() > 0 || e.state() != DeliveryState.PENDING)
                .forEach(e -> events.add(OutboxStore.outcomeEvent(e, createdAt)));
        if (first != null) {
            events.add(new TimelineEvent(createdAt, TimelineEvent.Type.ESCALATED, "tocsin", first.notices().detail()));
        }
        item.put(TIMELINE, events(events));
        item.put(DUPLICATE_COUNT, n(0));
        item.put(LAST_SEEN_MS, n(createdAt.toEpochMilli()));
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(settings.tableName())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#created)")
                    .expressionAttributeNames(Map.of("#created", CREATED_MS))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException alreadyRecorded) {
            return false;
        }
    }

    /**
     * Folds the final count of the incident's dedup claim into the item ({@link DuplicateFold}): the larger of the
     * stored and the claim's count, never a sum, so it is exact for items in either format and safe to repeat. Also
     * ends a resolve's {@code duplicates_unfolded}. With a null {@code count} (no claim holds the incident), only that.
     */
    public void foldDuplicates(String id, DedupStore.ClaimCount count) {
        Update update = new Update().remove(DUPLICATES_UNFOLDED);
        String condition = "attribute_exists(" + update.name(CREATED_MS) + ")";
        if (count != null && id.equals(count.incidentId())) {
            String dc = update.name(DUPLICATE_COUNT);
            update.set(DUPLICATE_COUNT, n(count.duplicates()));
            condition += " AND (attribute_not_exists(" + dc + ") OR " + dc + " <= "
                    + update.value(n(count.duplicates())) + ")";
            if (count.lastSeen() != null) {
                update.set(LAST_SEEN_MS, n(count.lastSeen().toEpochMilli()));
            }
        }
        update.condition(condition);
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(id), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException notRecordedOrCountedHigher) {
            // nothing to fold: not recorded, or already folded with a count at least as high
        }
    }

    /**
     * Forwards a repeat of the incident's alert to PagerDuty (a trigger under its dedup_key, which PagerDuty adds to
     * the open alert without a new page) once per ALERT_DEDUP_WINDOW: only the writer that still sees the repeat due at
     * {@code seenDue} wins, so concurrent duplicates forward it once.
     */
    public Optional<Incident> forwardRepeat(Incident incident, Instant seenDue, Instant at, List<OutboxEntry> effects) {
        if (incident.outbox().stream().anyMatch(e -> e.kind() == io.tocsin.delivery.EffectKind.PAGERDUTY_EVENT
                && e.action() == io.tocsin.delivery.PagerDutyAction.TRIGGER && e.isPending())) {
            // an earlier trigger is still on its way and tells PagerDuty the same; forwarding again only grows the
            // outbox (ItemBudget): the next repeat after that trigger is delivered is forwarded
            return Optional.empty();
        }
        return forwardRepeat(incident.id(), incident.alert().source(), incident.duplicateCount(),
                incident.repeatDueAt() == null ? null : seenDue, at, effects, false);
    }

    /**
     * As above, from what the dedup claim knows (no read of the incident first): {@code seenDue} null for an item
     * written before repeats were forwarded. Refused (empty) when the incident is not recorded, not open, in the format
     * before the outbox, already forwarded by another alert, or has any effect pending (not knowing the outbox, it
     * holds the repeat while anything is on its way; the caller then reads the incident and applies the rule above).
     */
    public Optional<Incident> forwardRepeat(String id, String source, long duplicates, Instant seenDue, Instant at,
            List<OutboxEntry> effects) {
        return forwardRepeat(id, source, duplicates, seenDue, at, effects, true);
    }

    private Optional<Incident> forwardRepeat(String id, String source, long duplicates, Instant seenDue, Instant at,
            List<OutboxEntry> effects, boolean nothingPending) {
        Update update = new Update()
                .set(REPEAT_DUE_MS, n(at.plus(settings.dedupWindow()).toEpochMilli()))
                .append(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.REPEAT_FORWARDED,
                        source, "repeat forwarded to PagerDuty (" + duplicates + " repeat(s) so far)"))));
        OutboxStore.appendEffects(update, id, effects);
        String status = update.name(STATUS);
        String due = update.name(REPEAT_DUE_MS);
        update.condition("(" + status + " = " + update.value(s(IncidentStatus.TRIGGERED.wire())) + " OR " + status
                + " = " + update.value(s(IncidentStatus.ACKNOWLEDGED.wire())) + ") AND "
                + (seenDue == null ? "attribute_not_exists(" + due + ")"
                        : due + " = " + update.value(n(seenDue.toEpochMilli())))
                + " AND " + OutboxStore.currentFormat(update)
                + (nothingPending ? " AND attribute_not_exists(" + update.name(Index.DELIVERY_DUE.hashKey()) + ")" : ""));
        try {
            return Optional.of(outbox.withinBudget(fromItem(dynamo.updateItem(update.request(settings.tableName(),
                    key(id), ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException forwardedByAnotherOrClosed) {
            return Optional.empty();
        }
    }

    /** Records an alert that was not paged (a maintenance window): one PutItem, visible in history and metrics. */
    public void recordSuppressed(String id, Alert alert, byte[] storedAlert, SuppressionReason reason, String windowId,
            Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        item.putAll(common(id, alert, storedAlert, at));
        item.put(STATUS, s(IncidentStatus.SUPPRESSED.wire()));
        item.put(SUPPRESSED_REASON, s(reason.wire()));
        if (windowId != null) {
            item.put(MAINTENANCE_WINDOW, s(windowId));
        }
        item.put(DUPLICATE_COUNT, n(0));
        item.put(LAST_SEEN_MS, n(at.toEpochMilli()));
        item.put(ESCALATION_LEVEL, n(0));
        item.put(OUTBOX, entries(List.of()));
        item.put(OUTBOX_VERSION, n(1));
        item.put(FORMAT_ATTRIBUTE, n(FORMAT));
        // closed as it is recorded: in the escalation-due index's CLOSED partition of the day (the metrics rollups)
        item.putAll(IndexEntry.closed(at, id).attributes());
        settings.expiresAt(at).ifPresent(epoch -> item.put(TableSchema.TTL_ATTRIBUTE, n(epoch)));
        item.put(TIMELINE, events(List.of(new TimelineEvent(at, TimelineEvent.Type.SUPPRESSED, alert.source(),
                reason.wire() + (windowId == null ? "" : " (window " + windowId + ")")))));
        dynamo.putItem(PutItemRequest.builder()
                .tableName(settings.tableName())
                .item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .build());
    }

    /** Closes the dedup claim of a resolved incident and folds its final count in; the incident as folded. */
    public Incident closeClaim(Incident resolved) {
        Optional<DedupStore.ClaimCount> count = claims.close(resolved.alert().dedupKey(), resolved.id());
        foldDuplicates(resolved.id(), count.orElse(null));
        return count.map(c -> resolved.withDuplicates(c.duplicates(), c.lastSeen())).orElse(resolved);
    }

    private static Map<String, AttributeValue> common(String id, Alert alert, byte[] storedAlert, Instant createdAt) {
        Map<String, AttributeValue> attributes = new java.util.LinkedHashMap<>();
        attributes.put(ID, s(id));
        attributes.put(SEVERITY, s(alert.severity().wire()));
        attributes.put(TITLE, s(alert.title()));
        attributes.put(SOURCE, s(alert.source()));
        attributes.put(DEDUP_KEY, s(alert.dedupKey()));
        if (alert.rule() != null) {
            attributes.put(RULE, s(alert.rule()));
        }
        attributes.put(CREATED_AT, s(Instants.format(createdAt)));
        attributes.put(CREATED_MS, n(createdAt.toEpochMilli()));
        attributes.put(ALERT, b(storedAlert));
        attributes.putAll(IndexEntry.created(createdAt, id).attributes());
        return attributes;
    }
}