package io.tocsin.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.config.Settings;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.store.Attr;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Recurring maintenance windows through the {@code maintenance} function and the ingest pipeline, with a moved clock.
 * Each window is scoped to a source of its own (the table is shared with other tests).
 */
@QuarkusTest
class RecurringMaintenanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MaintenanceFunction function;
    @Inject
    IngestPipeline pipeline;
    @Inject
    MaintenancePolicy policy;
    @Inject
    MutableClock clock;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    private String source;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        source = "recurring-" + UUID.randomUUID();
    }

    private ObjectNode window(String zone, String rrule, String start, String end) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("reason", "weekly patching")
                .put("created_by", "alice");
        if (zone != null) {
            input.put("time_zone", zone);
        }
        if (rrule != null) {
            input.put("rrule", rrule);
        }
        input.put("start", start);
        if (end != null) {
            input.put("end", end);
        }
        input.putArray("sources").add(source);
        return input;
    }

    private IngestResult alertAt(String instant) {
        clock.set(Instant.parse(instant));
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "t " + UUID.randomUUID())
                .put("source", source);
        return pipeline.ingest(alert, 100);
    }

    private void suppressedAt(String instant) {
        var result = assertInstanceOf(IngestResult.Suppressed.class, alertAt(instant), instant);
        assertEquals(io.tocsin.incident.SuppressionReason.MAINTENANCE, result.reason(), instant);
    }

    private void pagedAt(String instant) {
        assertInstanceOf(IngestResult.Created.class, alertAt(instant), instant);
    }

    @Test
    void everySundayTwoToFourBerlinSuppressesAtLocalTwoInWinterAndSummer() {
        clock.set(Instant.parse("2026-03-20T12:00:00Z"));
        JsonNode created = function.maintenance(window("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU", "2026-03-22T02:00",
                "2026-03-22T04:00"));
        assertTrue(created.path("created").asBoolean(), created.toString());
        assertEquals("FREQ=WEEKLY;BYDAY=SU", created.path("rrule").asText());
        assertEquals("2026-03-22T01:00:00Z", created.path("start").asText(), "the first occurrence, in UTC");
        assertTrue(created.path("end").isNull(), "no UNTIL or COUNT: the series does not end");
        assertEquals(List.of("2026-03-22T02:00:00+01:00/2026-03-22T04:00:00+01:00",
                "2026-03-29T03:00:00+02:00/2026-03-29T04:00:00+02:00", "2026-04-05T02:00:00+02:00/2026-04-05T04:00:00+02:00"),
                occurrences(created).subList(0, 3));

        suppressedAt("2026-03-22T01:00:00Z");
        pagedAt("2026-03-22T03:00:00Z"); // 04:00 CET: over
        pagedAt("2026-03-29T00:59:59Z"); // spring-forward night, 01:59:59 CET
        suppressedAt("2026-03-29T01:00:00Z"); // 03:00 CEST (02:00 does not exist)
        pagedAt("2026-03-29T02:00:00Z"); // 04:00 CEST
        suppressedAt("2026-04-05T00:00:00Z"); // 02:00 CEST: still local 02:00
        suppressedAt("2026-04-05T01:59:59Z");
        pagedAt("2026-04-05T02:00:00Z");
        pagedAt("2026-04-06T00:30:00Z"); // Monday
        suppressedAt("2026-10-25T02:30:00Z"); // fall-back night: 03:30 CET is inside 02:00 CEST - 04:00 CET
        pagedAt("2026-10-25T03:00:00Z");
    }

    @Test
    void weekdaysAtTenPmNewYorkForThirtyMinutesWithDuration() {
        clock.set(Instant.parse("2026-03-02T12:00:00Z"));
        ObjectNode input = window("America/New_York", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-03-02T22:00", null);
        input.put("duration", "30m");
        JsonNode created = function.maintenance(input);
        assertEquals("PT30M", created.path("duration").asText(), created.toString());
        suppressedAt("2026-03-07T03:15:00Z"); // Fri 22:15 EST
        pagedAt("2026-03-08T03:15:00Z"); // Sat
        pagedAt("2026-03-10T03:15:00Z"); // Mon 23:15 EDT: after the change 22:00 local is 02:00Z
        suppressedAt("2026-03-10T02:15:00Z"); // Mon 22:15 EDT
    }

    @Test
    void aWindowCrossingMidnightAndOneWhoseUntilPasses() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        JsonNode created = function.maintenance(window("Europe/Berlin",
                "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261211T235959Z", "2026-12-01T23:00", "2026-12-02T01:00"));
        assertTrue(created.path("created").asBoolean(), created.toString());
        suppressedAt("2026-12-04T23:30:00Z"); // Sat 00:30 CET: Friday's occurrence
        pagedAt("2026-12-05T23:30:00Z"); // Sun 00:30: none started on Saturday
        suppressedAt("2026-12-11T23:30:00Z"); // the last one (Fri 11 Dec)
        pagedAt("2026-12-14T23:30:00Z"); // after UNTIL
        clock.set(Instant.parse("2026-12-14T23:30:00Z"));
        assertTrue(listed().stream().noneMatch(w -> w.path("id").asText().equals(created.path("id").asText())),
                "a series that is over is not listed");
    }

    @Test
    void listShowsTheNextOccurrencesAndDeleteEndsTheSeries() {
        clock.set(Instant.parse("2026-12-02T12:00:00Z"));
        String id = function.maintenance(window("UTC", "FREQ=DAILY;INTERVAL=2", "2026-12-01T06:00", "2026-12-01T07:00"))
                .path("id").asText();
        JsonNode mine = listed().stream().filter(w -> w.path("id").asText().equals(id)).findFirst().orElseThrow();
        assertEquals(List.of("2026-12-03T06:00:00Z/2026-12-03T07:00:00Z", "2026-12-05T06:00:00Z/2026-12-05T07:00:00Z",
                "2026-12-07T06:00:00Z/2026-12-07T07:00:00Z", "2026-12-09T06:00:00Z/2026-12-09T07:00:00Z",
                "2026-12-11T06:00:00Z/2026-12-11T07:00:00Z"), occurrences(mine));
        assertEquals("UTC", mine.path("time_zone").asText());
        suppressedAt("2026-12-03T06:30:00Z");
        JsonNode deleted = function.maintenance(JSON.createObjectNode().put("action", "delete").put("id", id));
        assertTrue(deleted.path("deleted").asBoolean(), deleted.toString());
        pagedAt("2026-12-05T06:30:00Z");
    }

    @Test
    void aStoredWindowOfTheOldShapeKeepsWorking() {
        // exactly the item the maintenance function wrote before windows could recur: no rrule, no time_zone
        String id = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>(Attr.key("MAINT", "2026-12-20T04:00:00.000Z#" + id));
        item.put("id", Attr.s(id));
        item.put("start_ms", Attr.n(Instant.parse("2026-12-20T02:00:00Z").toEpochMilli()));
        item.put("end_ms", Attr.n(Instant.parse("2026-12-20T04:00:00Z").toEpochMilli()));
        item.put("reason", Attr.s("stored before recurrences"));
        item.put("sources", AttributeValue.fromSs(List.of(source)));
        item.put("created_ms", Attr.n(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli()));
        item.put("expires_at", Attr.n(Instant.parse("2027-03-20T04:00:00Z").getEpochSecond()));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item).build());
        // beside it, an item whose rule cannot be read any more: ignored (and logged), not fatal to the others
        Map<String, AttributeValue> broken = new HashMap<>(item);
        broken.putAll(Attr.key("MAINT", "2026-12-20T04:00:00.000Z#broken-" + id));
        broken.put("id", Attr.s("broken-" + id));
        broken.put("rrule", Attr.s("FREQ=SOMETIMES"));
        broken.put("time_zone", Attr.s("Europe/Berlin"));
        broken.put("local_start", Attr.s("2026-12-20T03:00"));
        broken.put("length_s", Attr.n(3600));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(broken).build());
        policy.invalidate();
        suppressedAt("2026-12-20T02:00:00Z");
        pagedAt("2026-12-20T04:00:00Z");
        clock.set(Instant.parse("2026-12-20T03:00:00Z"));
        JsonNode listedWindow = listed().stream().filter(w -> w.path("id").asText().equals(id)).findFirst()
                .orElseThrow();
        assertEquals("2026-12-20T04:00:00Z", listedWindow.path("end").asText());
        assertTrue(!listedWindow.has("rrule") && !listedWindow.has("next_occurrences"), listedWindow.toString());
        dynamo.deleteItem(software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest.builder()
                .tableName(settings.tableName()).key(Attr.key("MAINT", "2026-12-20T04:00:00.000Z#broken-" + id)).build());
        policy.invalidate();
    }

    @Test
    void badRulesAndZonesAreRefusedNamingTheField() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        record Case(String zone, String rrule, String start, String end, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case("Europe/Berlin", "FREQ=MONTHLY;BYMONTHDAY=1", "2026-12-01T02:00", "2026-12-01T04:00", "rrule",
                        "FREQ=MONTHLY is not supported"),
                new Case("Europe/Berlin", "every sunday", "2026-12-01T02:00", "2026-12-01T04:00", "rrule",
                        "not a valid RFC 5545 RRULE"),
                new Case("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", "2026-12-01T02:00", "2026-12-01T04:00",
                        "rrule", "BYHOUR not supported"),
                new Case("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261101T000000Z", "2026-10-04T02:00",
                        "2026-10-04T04:00", "rrule", "has no occurrence after now"),
                new Case("Mars/Olympus_Mons", "FREQ=WEEKLY;BYDAY=SU", "2026-12-06T02:00", "2026-12-06T04:00",
                        "time_zone", "must be an IANA time zone"),
                new Case("CEST+", "FREQ=WEEKLY;BYDAY=SU", "2026-12-06T02:00", "2026-12-06T04:00", "time_zone",
                        "must be an IANA time zone"),
                new Case(null, "FREQ=WEEKLY;BYDAY=SU", "2026-12-06T02:00", "2026-12-06T04:00", "time_zone",
                        "is required with rrule"),
                new Case("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU", "2026-12-06T02:00", "2026-12-06T01:00", "end",
                        "must be after start"),
                new Case("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU", "sunday 2am", "2026-12-06T04:00", "start",
                        "local date-time"),
                new Case("Europe/Berlin", "FREQ=DAILY", "2026-12-06T02:00", "2026-12-16T02:00", "end", "at most 168"));
        for (Case c : cases) {
            JsonNode answer = function.maintenance(window(c.zone(), c.rrule(), c.start(), c.end()));
            List<String> fields = new ArrayList<>();
            answer.path("problems").forEach(p -> fields.add(p.path("field").asText()));
            assertEquals(List.of(c.field()), fields, c + " -> " + answer);
            assertTrue(answer.path("problems").get(0).path("message").asText().contains(c.message()),
                    c + " -> " + answer);
        }
        List<String> both = new ArrayList<>();
        function.maintenance(window("Mars/Olympus_Mons", "FREQ=YEARLY", "2026-12-06T02:00", "2026-12-06T04:00"))
                .path("problems").forEach(p -> both.add(p.path("field").asText()));
        assertEquals(List.of("time_zone", "rrule"), both, "every problem at once");
        JsonNode overHttp = function.maintenance(HttpEvents.post("/maintenance", Map.of(),
                window("Europe/Berlin", "FREQ=YEARLY", "2026-12-06T02:00", "2026-12-06T04:00").toString()));
        assertEquals(400, HttpEvents.status(overHttp));
        assertEquals("rrule", HttpEvents.body(overHttp).path("problems").get(0).path("field").asText());
        pagedAt("2026-12-06T01:30:00Z"); // none of these was stored
    }

    @Test
    void ingestStillReadsTheWindowsOncePerCacheTtl() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        function.maintenance(window("Europe/Berlin", "FREQ=DAILY", "2026-12-01T15:00", "2026-12-01T16:00"));
        alertAt("2026-12-01T12:00:01Z"); // reads the windows
        var created = DynamoRequestMeter.measure(() -> alertAt("2026-12-01T12:00:02Z"));
        assertInstanceOf(IngestResult.Created.class, created.result());
        assertEquals(Map.of("UpdateItem", 1, "PutItem", 1), created.requests(),
                "a new alert: its two writes (the claim, the incident), no read of the windows");
        alertAt("2026-12-01T14:00:01Z"); // 15:00 CET, the cache has expired: reads the windows again
        var suppressed = DynamoRequestMeter.measure(() -> alertAt("2026-12-01T14:00:10Z"));
        assertInstanceOf(IngestResult.Suppressed.class, suppressed.result());
        assertEquals(Map.of("PutItem", 1), suppressed.requests(), "suppressed by a recurring window: one write");
    }

    private List<JsonNode> listed() {
        List<JsonNode> windows = new ArrayList<>();
        function.maintenance(JSON.createObjectNode().put("action", "list")).path("windows").forEach(windows::add);
        return windows;
    }

    private static List<String> occurrences(JsonNode window) {
        List<String> spans = new ArrayList<>();
        window.path("next_occurrences").forEach(o -> spans.add(o.path("start").asText() + "/" + o.path("end").asText()));
        return spans;
    }
}
