package io.tocsin.incident;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The resolution notes are stored once now; items that kept them twice (in the timeline too) read as before. */
class ResolutionNotesFormatTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private static Map<String, AttributeValue> resolvedItem(boolean notesInTimeline) {
        Alert alert = new Alert(Severity.HIGH, "disk full", "", "db-7", new ObjectMapper().createObjectNode(), "k",
                false, null, AT);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s("i-1"));
        item.put("alert", b(AlertCodec.encode(alert)));
        item.put("status", s("resolved"));
        item.put("created_ms", n(AT.toEpochMilli()));
        item.put("resolved_ms", n(AT.plusSeconds(60).toEpochMilli()));
        item.put("resolution_notes", s("freed 40 GB"));
        Map<String, AttributeValue> resolved = new HashMap<>(Map.of("at", s(AT.plusSeconds(60).toString()), "type",
                s("resolved"), "actor", s("alice")));
        if (notesInTimeline) {
            resolved.put("detail", s("freed 40 GB"));
        }
        item.put("timeline", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("at", s(AT.toString()),
                "type", s("triggered"), "actor", s("db-7"), "detail", s("high: disk full"))),
                AttributeValue.fromM(resolved))));
        item.put("outbox", AttributeValue.fromL(List.of()));
        item.put("ob_ver", n(1));
        item.put("fmt", n(2));
        return item;
    }

    @Test
    void anItemWithTheNotesTwiceAndOneWithThemOnceReadTheSame() {
        Incident before = IncidentItems.fromItem(resolvedItem(true));
        Incident now = IncidentItems.fromItem(resolvedItem(false));
        assertEquals("freed 40 GB", before.timeline().get(1).detail());
        assertEquals(before.timeline(), now.timeline());
        assertEquals(IncidentJson.of(before), IncidentJson.of(now));
    }

    @Test
    void writingATimelineNeverStoresTheNotesAgain() {
        Incident before = IncidentItems.fromItem(resolvedItem(true));
        Map<String, AttributeValue> written = IncidentItems.events(before.timeline()).l().get(1).m();
        assertEquals("resolved", written.get("type").s());
        assertFalse(written.containsKey("detail"));
    }
}
