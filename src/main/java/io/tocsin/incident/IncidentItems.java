package io.tocsin.incident;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tocsin.alert.AlertCodec;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
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
    /** Map action → {state, attempts, last_status, errors, next_ms}. */
    static final String PAGERDUTY = "pd";
    static final String ESCALATION_LEVEL = "escalation_level";
    static final String NEXT_ESCALATION_MS = "next_escalation_ms";
    static final String SUPPRESSED_REASON = "suppressed_reason";
    static final String MAINTENANCE_WINDOW = "maintenance_window_id";
    static final String ACKNOWLEDGED_MS = "acknowledged_ms";
    static final String ACKNOWLEDGED_BY = "acknowledged_by";
    static final String RESOLVED_MS = "resolved_ms";
    static final String RESOLVED_BY = "resolved_by";
    static final String RESOLUTION_NOTES = "resolution_notes";
    /** List of {at, type, actor, detail}: appended in the same conditional write as the change it records. */
    static final String TIMELINE = "timeline";

    private IncidentItems() {
    }

    static AttributeValue delivery(Delivery delivery) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("state", s(delivery.state().wire()));
        map.put("attempts", n(delivery.attempts()));
        map.put("last_status", n(delivery.lastStatus()));
        map.put("errors", AttributeValue.fromL(delivery.errors().stream().map(Attr::s).toList()));
        if (delivery.nextAttempt() != null) {
            map.put("next_ms", n(delivery.nextAttempt().toEpochMilli()));
        }
        return AttributeValue.fromM(map);
    }

    static Delivery delivery(AttributeValue value) {
        Map<String, AttributeValue> map = value.m();
        DeliveryState state = DeliveryState.fromWire(Attr.string(map, "state"));
        List<String> errors = map.containsKey("errors") ? map.get("errors").l().stream().map(AttributeValue::s).toList()
                : List.of();
        return new Delivery(state, (int) Attr.number(map, "attempts", 0), (int) Attr.number(map, "last_status", 0),
                errors, Attr.instantMillis(map, "next_ms"), state == DeliveryState.PENDING);
    }

    static AttributeValue events(List<TimelineEvent> events) {
        List<AttributeValue> list = new ArrayList<>();
        for (TimelineEvent event : events) {
            Map<String, AttributeValue> map = new HashMap<>();
            map.put("at", s(event.at().toString()));
            map.put("type", s(event.type().wire()));
            map.put("actor", s(event.actor()));
            if (event.detail() != null && !event.detail().isEmpty()) {
                map.put("detail", s(event.detail()));
            }
            list.add(AttributeValue.fromM(map));
        }
        return AttributeValue.fromL(list);
    }

    static Incident fromItem(Map<String, AttributeValue> item) {
        Map<PagerDutyAction, Delivery> deliveries = new EnumMap<>(PagerDutyAction.class);
        if (item.containsKey(PAGERDUTY)) {
            item.get(PAGERDUTY).m().forEach((action, value) ->
                    deliveries.put(PagerDutyAction.valueOf(action.toUpperCase(Locale.ROOT)), delivery(value)));
        }
        List<TimelineEvent> timeline = new ArrayList<>();
        if (item.containsKey(TIMELINE)) {
            for (AttributeValue value : item.get(TIMELINE).l()) {
                Map<String, AttributeValue> m = value.m();
                timeline.add(new TimelineEvent(Instant.parse(Attr.string(m, "at")),
                        TimelineEvent.Type.fromWire(Attr.string(m, "type")), Attr.string(m, "actor"),
                        Attr.string(m, "detail")));
            }
        }
        String reason = Attr.string(item, SUPPRESSED_REASON);
        return new Incident(Attr.string(item, ID), AlertCodec.decode(Attr.bytes(item, ALERT)),
                IncidentStatus.fromWire(Attr.string(item, STATUS)), Attr.instantMillis(item, CREATED_MS),
                Attr.number(item, DUPLICATE_COUNT, 0), Attr.instantMillis(item, LAST_SEEN_MS), deliveries,
                (int) Attr.number(item, ESCALATION_LEVEL, 1), Attr.instantMillis(item, NEXT_ESCALATION_MS),
                reason == null ? null : SuppressionReason.valueOf(reason.toUpperCase(Locale.ROOT)),
                Attr.string(item, MAINTENANCE_WINDOW), Attr.instantMillis(item, ACKNOWLEDGED_MS),
                Attr.string(item, ACKNOWLEDGED_BY), Attr.instantMillis(item, RESOLVED_MS),
                Attr.string(item, RESOLVED_BY), Attr.string(item, RESOLUTION_NOTES), timeline);
    }
}
