package io.tocsin.pagerduty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;

class EventsV2Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "R0UTINGKEY0123456789ABCDEFGHIJKL";

    private static Alert alert(String title, ObjectNode metadata) {
        return new Alert(Severity.CRITICAL, title, "desc", "svc", metadata, "k", false, null,
                Instant.parse("2026-11-26T12:00:00Z"));
    }

    @Test
    void aSummaryLongerThan1024CharactersIsCutWithAMarker() throws Exception {
        String title = "x".repeat(1500);
        JsonNode event = JSON.readTree(EventsV2.trigger(KEY, "id-1", alert(title, JSON.createObjectNode())));
        String summary = event.at("/payload/summary").asText();
        assertEquals(1024, summary.length());
        assertTrue(summary.endsWith(EventsV2.TRUNCATION_MARKER));
        assertEquals("x".repeat(1023), summary.substring(0, 1023));
    }

    @Test
    void aSummaryOfExactly1024CharactersIsKept() {
        assertEquals("y".repeat(1024), EventsV2.truncateSummary("y".repeat(1024)));
    }

    @Test
    void metadataThatWouldTakeTheEventOver512KbIsReplacedByANote() throws Exception {
        byte[] noise = new byte[400 * 1024];
        new Random(7).nextBytes(noise);
        ObjectNode metadata = JSON.createObjectNode().put("blob", java.util.Base64.getEncoder().encodeToString(noise));
        byte[] body = EventsV2.trigger(KEY, "id-2", alert("big", metadata));
        assertTrue(body.length <= EventsV2.MAX_EVENT_BYTES, "event is " + body.length + " bytes");
        JsonNode details = JSON.readTree(body).at("/payload/custom_details");
        assertEquals(EventsV2.DETAILS_REMOVED_NOTE, details.path("note").asText());
        assertEquals("id-2", details.path("tocsin_incident_id").asText());
        assertFalse(details.has("metadata"));
        assertEquals("big", JSON.readTree(body).at("/payload/summary").asText(), "the page itself still goes out");
    }

    @Test
    void acknowledgeAndResolveCarryOnlyTheKeyAndAction() throws Exception {
        JsonNode ack = JSON.readTree(EventsV2.action(KEY, "id-3", "acknowledge"));
        assertEquals(3, ack.size());
        assertEquals("acknowledge", ack.path("event_action").asText());
        assertEquals("id-3", ack.path("dedup_key").asText());
    }
}
