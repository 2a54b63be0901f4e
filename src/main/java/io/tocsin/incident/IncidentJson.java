package io.tocsin.incident;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
        node.put("dedup_key", incident.alert().dedupKey());
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
        Delivery delivery = incident.delivery();
        ObjectNode page = node.putObject("delivery");
        page.put("state", delivery.state().wire());
        page.put("attempts", delivery.attempts());
        page.put("last_status", delivery.lastStatus() == 0 ? null : delivery.lastStatus());
        delivery.errors().forEach(page.putArray("errors")::add);
        page.put("next_attempt_at", text(delivery.nextAttempt()));
        return node;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
