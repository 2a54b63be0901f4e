package io.tocsin.incident;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tocsin.alert.AlertCodec;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.notify.Texts;
import io.tocsin.store.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How an incident maps to and from its DynamoDB item. */
final class IncidentItems {

    static final String ID = "id";
    static final String SEVERITY = "severity";
    static final String TITLE = "title";
    static final String SOURCE = "source";
    static final String DEDUP_KEY = "dedup_key";
    static final String RULE = "rule";
    static final String STATUS = "status";
    static final String CREATED_AT = "created_at";
    static final String CREATED_MS = "created_ms";
    static final String ALERT = "alert";
    static final String DUPLICATE_COUNT = "duplicate_count";
    static final String LAST_SEEN_MS = "last_seen_ms";
    /**
     * Set by the resolve, removed by the fold of the claim's final count that follows it: while present, a read folds
     * the count from the claim (see {@link DuplicateFold}).
     */
    static final String DUPLICATES_UNFOLDED = "duplicates_unfolded";
    /** When the next repeat of the alert is forwarded to PagerDuty. */
    static final String REPEAT_DUE_MS = "repeat_due_ms";
    /**
     * Format 1 only (before the outbox): map action → {state, attempts, last_status, errors, next_ms}. Read into the
     * outbox; removed when such an item is upgraded.
     */
    static final String PAGERDUTY = "pd";
    /** Format 2: list of outbox entries, see {@link #entry(OutboxEntry)}. */
    static final String OUTBOX = "outbox";
    /** Format 2: raised by every outbox write; outcome writes are conditional on it. */
    static final String OUTBOX_VERSION = "ob_ver";
    /** The item format: absent in format 1, {@value #FORMAT} since the outbox. */
    static final String FORMAT_ATTRIBUTE = "fmt";
    static final int FORMAT = 2;
    static final String ESCALATION_LEVEL = "escalation_level";
    /** The escalation policy's id (absent: no policy; the previous version ignores it and escalates by level). */
    static final String POLICY = "policy";
    /** When the policy's first step was due (set with {@link #POLICY}). */
    static final String POLICY_START_MS = "policy_start_ms";
    static final String NEXT_ESCALATION_MS = "next_escalation_ms";
    static final String SUPPRESSED_REASON = "suppressed_reason";
    static final String MAINTENANCE_WINDOW = "maintenance_window_id";
    static final String ACKNOWLEDGED_MS = "acknowledged_ms";
    static final String ACKNOWLEDGED_BY = "acknowledged_by";
    static final String RESOLVED_MS = "resolved_ms";
    static final String RESOLVED_BY = "resolved_by";
    /** Who acknowledged, as AWS authenticated them (io.tocsin.api.Actor); absent on items before issue 23. */
    static final String ACKNOWLEDGED_ACTOR = "acknowledged_actor";
    static final String RESOLVED_ACTOR = "resolved_actor";
    static final String RESOLUTION_NOTES = "resolution_notes";
    /** List of {at, type, actor, detail}: appended in the same conditional write as the change it records. */
    static final String TIMELINE = "timeline";
    /** How many timeline events were dropped to keep the item within {@link ItemBudget} (absent: none). */
    static final String TIMELINE_DROPPED = "timeline_dropped";
    /** How many finished outbox entries were dropped to keep the item within {@link ItemBudget} (absent: none). */
    static final String OUTBOX_DROPPED = "outbox_dropped";

    private IncidentItems() {
    }

    static Map<String, AttributeValue> key(String id) {
        return Attr.key(IncidentStore.partitionKey(id), IncidentStore.SK_META);
    }

    /** One outbox entry as stored: a map of its fields (times as epoch milliseconds). */
    static AttributeValue entry(OutboxEntry entry) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("id", s(entry.id()));
        map.put("kind", s(entry.kind().wire()));
        if (entry.action() != null) {
            map.put("action", s(entry.action().wire()));
        }
        if (entry.level() > 0) {
            map.put("level", n(entry.level()));
        }
        map.put("state", s(entry.state().wire()));
        map.put("attempts", n(entry.attempts()));
        map.put("last_status", n(entry.lastStatus()));
        List<String> errors = entry.errors();
        map.put("errors", AttributeValue.fromL(errors.subList(Math.max(0, errors.size() - ItemBudget.MAX_ERRORS_PER_ENTRY),
                errors.size()).stream().map(e -> Attr.s(Texts.cut(e, ItemBudget.MAX_ERROR_CHARS))).toList()));
        map.put("due_ms", n(entry.dueAt().toEpochMilli()));
        if (entry.leaseUntil() != null) {
            map.put("lease_ms", n(entry.leaseUntil().toEpochMilli()));
        }
        map.put("created_ms", n(entry.createdAt().toEpochMilli()));
        if (entry.to() != null) {
            map.put("to", s(entry.to())); // a key the previous version does not read: it ignores it
        }
        if (entry.doneAt() != null) {
            map.put("done_ms", n(entry.doneAt().toEpochMilli()));
        }
        return AttributeValue.fromM(map);
    }

    static AttributeValue entries(List<OutboxEntry> entries) {
        return AttributeValue.fromL(entries.stream().map(IncidentItems::entry).toList());
    }

    static OutboxEntry entry(AttributeValue value) {
        Map<String, AttributeValue> map = value.m();
        String action = Attr.string(map, "action");
        return new OutboxEntry(Attr.string(map, "id"), EffectKind.fromWire(Attr.string(map, "kind")),
                action == null ? null : PagerDutyAction.valueOf(action.toUpperCase(Locale.ROOT)),
                (int) Attr.number(map, "level", 0), DeliveryState.fromWire(Attr.string(map, "state")),
                (int) Attr.number(map, "attempts", 0), (int) Attr.number(map, "last_status", 0), errors(map),
                Attr.instantMillis(map, "due_ms"), Attr.instantMillis(map, "lease_ms"),
                Attr.instantMillis(map, "created_ms"), Attr.instantMillis(map, "done_ms"), Attr.string(map, "to"));
    }

    private static List<String> errors(Map<String, AttributeValue> map) {
        return map.containsKey("errors") ? map.get("errors").l().stream().map(AttributeValue::s).toList() : List.of();
    }

    /**
     * A format-1 PagerDuty delivery ({@code pd.<action>}) as the outbox entry it stands for: id {@code v1-<action>},
     * due at its next attempt, never leased (format 1 kept its lease in {@code next_ms}).
     */
    static OutboxEntry previousFormatEntry(PagerDutyAction action, AttributeValue value, Instant createdAt) {
        Map<String, AttributeValue> map = value.m();
        DeliveryState state = DeliveryState.fromWire(Attr.string(map, "state"));
        Instant next = Attr.instantMillis(map, "next_ms");
        return new OutboxEntry("v1-" + action.wire(), EffectKind.PAGERDUTY_EVENT, action, 0, state,
                (int) Attr.number(map, "attempts", 0), (int) Attr.number(map, "last_status", 0), errors(map),
                next != null ? next : createdAt, null, createdAt, state.isFinal() ? createdAt : null);
    }

    /** The outbox of an item in either format. */
    static List<OutboxEntry> outbox(Map<String, AttributeValue> item) {
        if (item.containsKey(OUTBOX)) {
            return item.get(OUTBOX).l().stream().map(IncidentItems::entry).toList();
        }
        List<OutboxEntry> entries = new ArrayList<>();
        if (item.containsKey(PAGERDUTY)) {
            Map<String, AttributeValue> pd = item.get(PAGERDUTY).m();
            for (PagerDutyAction action : PagerDutyAction.values()) {
                if (pd.containsKey(action.wire())) {
                    Instant at = switch (action) {
                        case TRIGGER -> Attr.instantMillis(item, CREATED_MS);
                        case ACKNOWLEDGE -> Attr.instantMillis(item, ACKNOWLEDGED_MS);
                        case RESOLVE -> Attr.instantMillis(item, RESOLVED_MS);
                    };
                    entries.add(previousFormatEntry(action, pd.get(action.wire()),
                            at != null ? at : Attr.instantMillis(item, CREATED_MS)));
                }
            }
        }
        return entries;
    }

    static AttributeValue events(List<TimelineEvent> events) {
        List<AttributeValue> list = new ArrayList<>();
        for (TimelineEvent event : events) {
            Map<String, AttributeValue> map = new HashMap<>();
            map.put("at", s(event.at().toString()));
            map.put("type", s(event.type().wire()));
            map.put("actor", s(Texts.cut(event.actor(), ItemBudget.MAX_ACTOR_CHARS)));
            // a resolution's notes are stored once, in resolution_notes: fromItem shows them on its event
            if (event.type() != TimelineEvent.Type.RESOLVED && event.detail() != null && !event.detail().isEmpty()) {
                map.put("detail", s(Texts.cut(event.detail(), ItemBudget.MAX_DETAIL_CHARS)));
            }
            list.add(AttributeValue.fromM(map));
        }
        return AttributeValue.fromL(list);
    }

    static Incident fromItem(Map<String, AttributeValue> item) {
        List<TimelineEvent> timeline = new ArrayList<>();
        if (item.containsKey(TIMELINE)) {
            for (AttributeValue value : item.get(TIMELINE).l()) {
                Map<String, AttributeValue> m = value.m();
                TimelineEvent.Type type = TimelineEvent.Type.fromWire(Attr.string(m, "type"));
                String detail = Attr.string(m, "detail");
                if (type == TimelineEvent.Type.RESOLVED && detail == null) {
                    // stored once, in resolution_notes (items written before kept them here as well)
                    detail = Attr.string(item, RESOLUTION_NOTES);
                }
                timeline.add(new TimelineEvent(Instant.parse(Attr.string(m, "at")), type, Attr.string(m, "actor"),
                        detail));
            }
        }
        String reason = Attr.string(item, SUPPRESSED_REASON);
        return new Incident(Attr.string(item, ID), AlertCodec.decode(Attr.bytes(item, ALERT)),
                IncidentStatus.fromWire(Attr.string(item, STATUS)), Attr.instantMillis(item, CREATED_MS),
                Attr.number(item, DUPLICATE_COUNT, 0), Attr.instantMillis(item, LAST_SEEN_MS), outbox(item),
                (int) Attr.number(item, ESCALATION_LEVEL, 1), Attr.instantMillis(item, NEXT_ESCALATION_MS),
                reason == null ? null : SuppressionReason.valueOf(reason.toUpperCase(Locale.ROOT)),
                Attr.string(item, MAINTENANCE_WINDOW), Attr.instantMillis(item, ACKNOWLEDGED_MS),
                Attr.string(item, ACKNOWLEDGED_BY), Attr.instantMillis(item, RESOLVED_MS),
                Attr.string(item, RESOLVED_BY), Attr.string(item, RESOLUTION_NOTES), timeline,
                Attr.number(item, OUTBOX_VERSION, 0), Attr.instantMillis(item, REPEAT_DUE_MS),
                Attr.number(item, TIMELINE_DROPPED, 0), Attr.number(item, OUTBOX_DROPPED, 0), Attr.string(item, POLICY),
                Attr.instantMillis(item, POLICY_START_MS), Attr.string(item, ACKNOWLEDGED_ACTOR),
                Attr.string(item, RESOLVED_ACTOR));
    }
}
