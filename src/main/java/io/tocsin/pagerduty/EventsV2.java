package io.tocsin.pagerduty;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.notify.Texts;

/** Builds PagerDuty Events API v2 event bodies that respect the API's limits. */
public final class EventsV2 {

    /** payload.summary: at most 1024 characters (api-schema reference/events-v2/openapiv3.json). */
    public static final int MAX_SUMMARY_CHARS = 1024;
    /** The whole event: at most 512 KB (developer-docs docs/events-API-v2 overview, "Event size"). */
    public static final int MAX_EVENT_BYTES = 512 * 1024;
    /** Appended to a summary cut to {@link #MAX_SUMMARY_CHARS}. */
    public static final String TRUNCATION_MARKER = Texts.CUT_MARKER;
    /** Replaces custom_details when they would take the event over {@link #MAX_EVENT_BYTES} (Alertmanager's practice). */
    public static final String DETAILS_REMOVED_NOTE =
            "custom_details removed by Tocsin: the event would exceed PagerDuty's 512 KB limit";
    /** Identifies Tocsin as the sender in PagerDuty's UI. */
    public static final String CLIENT = "Tocsin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventsV2() {
    }

    /** Events API v2 severity: critical→critical, high→error, medium→warning, low→info. */
    public static String severity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "critical";
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "info";
        };
    }

    /**
     * The summary PagerDuty shows and notifies with (SMS, push, phone): on one line, without bidi controls
     * ({@link Texts#singleLine}: a title's CR/LF become spaces, its words stay), cut to {@link #MAX_SUMMARY_CHARS}
     * with the marker and never inside a surrogate pair.
     */
    public static String truncateSummary(String summary) {
        return Texts.cut(Texts.singleLine(summary), MAX_SUMMARY_CHARS);
    }

    /**
     * A trigger whose dedup_key is the incident id, so that PagerDuty's alert and Tocsin's incident map one to one and
     * a redelivered trigger never opens a second alert.
     */
    public static byte[] trigger(String routingKey, String incidentId, Alert alert) {
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", "trigger");
        event.put("dedup_key", incidentId);
        event.put("client", CLIENT);
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", truncateSummary(alert.title()));
        payload.put("source", Texts.singleLine(alert.source()));
        payload.put("severity", severity(alert.severity()));
        payload.put("timestamp", alert.receivedAt().toString());
        ObjectNode details = payload.putObject("custom_details");
        details.put("description", alert.description());
        details.put("tocsin_incident_id", incidentId);
        details.put("tocsin_severity", alert.severity().wire());
        if (!alert.dedupKeyDerived()) {
            details.put("alert_dedup_key", io.tocsin.alert.KeySpace.parse(alert.dedupKey()).key());
        }
        if (alert.rule() != null) {
            details.put("rule", alert.rule());
        }
        details.set("metadata", alert.metadata());
        byte[] body = bytes(event);
        if (body.length > MAX_EVENT_BYTES) {
            ObjectNode note = JSON.createObjectNode();
            note.put("note", DETAILS_REMOVED_NOTE);
            note.put("tocsin_incident_id", incidentId);
            payload.set("custom_details", note);
            body = bytes(event);
        }
        return body;
    }

    /** An acknowledge or resolve for the alert opened with {@code dedupKey}; these carry no payload. */
    public static byte[] action(String routingKey, String dedupKey, String action) {
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", action);
        event.put("dedup_key", dedupKey);
        return bytes(event);
    }


    private static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
