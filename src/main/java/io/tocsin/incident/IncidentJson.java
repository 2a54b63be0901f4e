package io.tocsin.incident;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.KeySpace;
import io.tocsin.delivery.Delivery;

/** The JSON form of an incident that the read functions answer with. */
public final class IncidentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {
    }

    public static ObjectNode of(Incident incident) {
        ObjectNode node = JSON.createObjectNode();
        node.put("incident_id", incident.id());
        node.put("status", incident.status().wire());
        node.put("severity", incident.alert().severity().wire());
        node.put("title", incident.alert().title());
        node.put("description", incident.alert().description());
        node.put("source", incident.alert().source());
        node.set("metadata", incident.alert().metadata());
        KeySpace.Scoped key = KeySpace.parse(incident.alert().dedupKey());
        node.put("dedup_key", key.key());
        if (key.scope() != null) {
            node.put("dedup_key_space", key.scope()); // a token's: its source prefix (docs/deduplication.md)
        }
        node.put("rule", incident.alert().rule());
        node.put("created_at", text(incident.createdAt()));
        node.put("duplicate_count", incident.duplicateCount());
        node.put("last_seen_at", text(incident.lastSeenAt()));
        node.put("escalation_level", incident.escalationLevel());
        node.put("next_escalation_at", text(incident.nextEscalationAt()));
        if (incident.suppressedReason() != null) {
            node.put("suppressed_reason", incident.suppressedReason().wire());
            node.put("maintenance_window", incident.maintenanceWindowId());
        }
        node.put("acknowledged_at", text(incident.acknowledgedAt()));
        node.put("acknowledged_by", incident.acknowledgedBy());
        node.put("acknowledged_actor", incident.acknowledgedActor());
        node.put("resolved_at", text(incident.resolvedAt()));
        node.put("resolved_by", incident.resolvedBy());
        node.put("resolved_actor", incident.resolvedActor());
        node.put("resolution_notes", incident.resolutionNotes());
        node.put("time_to_acknowledge_seconds", seconds(incident.timeToAcknowledge()));
        node.put("time_to_resolve_seconds", seconds(incident.timeToResolve()));
        Delivery trigger = incident.delivery();
        if (trigger != null) {
            node.set("delivery", delivery(trigger));
        }
        ObjectNode pagerDuty = node.putObject("pagerduty");
        incident.deliveries().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> pagerDuty.set(e.getKey().wire(), delivery(e.getValue())));
        outbox(node, incident);
        timeline(node, incident);
        return node;
    }

    /** The outbox, each entry with its sequence number (after those dropped by the item budget). */
    private static void outbox(ObjectNode node, Incident incident) {
        ArrayNode outbox = node.putArray("outbox");
        for (int i = 0; i < incident.outbox().size(); i++) {
            io.tocsin.delivery.OutboxEntry effect = incident.outbox().get(i);
            ObjectNode entry = outbox.addObject().put("sequence", incident.outboxDropped() + i + 1)
                    .put("effect", effect.describe())
                    .put("state", effect.state().wire()).put("attempts", effect.attempts());
            effect.errors().forEach(entry.putArray("errors")::add);
            entry.put("next_attempt_at", effect.isPending() ? effect.nextLook().toString() : null);
        }
        if (incident.outboxDropped() > 0) {
            node.put("outbox_dropped", incident.outboxDropped());
        }
    }

    /** The timeline, and the duplicates counted on the claim as its last event. */
    private static void timeline(ObjectNode node, Incident incident) {
        if (incident.timelineDropped() > 0) {
            // the first events and the latest are kept (docs/escalation-and-guarantees.md "Item budget")
            node.put("timeline_dropped", incident.timelineDropped());
        }
        ArrayNode timeline = node.putArray("timeline");
        for (TimelineEvent event : incident.timeline()) {
            ObjectNode entry = timeline.addObject();
            entry.put("at", event.at().toString());
            entry.put("type", event.type().wire());
            entry.put("actor", event.actor());
            if (event.detail() != null) {
                entry.put("detail", event.detail());
            }
        }
        if (incident.duplicateCount() > 0) {
            timeline.addObject().put("at", text(incident.lastSeenAt()))
                    .put("type", TimelineEvent.Type.DUPLICATE.wire()).put("actor", incident.alert().source())
                    .put("detail", incident.duplicateCount() + " duplicate alert(s) suppressed, the last at "
                            + incident.lastSeenAt());
        }
    }

    private static ObjectNode delivery(Delivery delivery) {
        ObjectNode page = JSON.createObjectNode();
        page.put("state", delivery.state().wire());
        page.put("attempts", delivery.attempts());
        page.put("last_status", delivery.lastStatus() == 0 ? null : delivery.lastStatus());
        delivery.errors().forEach(page.putArray("errors")::add);
        page.put("next_attempt_at", text(delivery.nextAttempt()));
        return page;
    }

    private static Long seconds(java.time.Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
