package io.tocsin.oncall.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.feed.FeedCalendar;
import io.tocsin.oncall.feed.FeedStore;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.store.TestSettings;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The iCal feeds end to end against dynalite, without the application: created on the admin function (the secret
 * shown once, only its hash stored), served by the public {@code oncall-feed} function as {@code text/calendar}
 * that ical4j parses into exactly the final shifts of the window (across the March DST changes), and a revoked,
 * unknown, wrong or malformed secret all answer the same 404.
 */
class OnCallFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "oncall-feed-test";
    /** Before New York's (8 March) and Berlin's (29 March) changes to summer time: the window holds both. */
    private static final Instant NOW = Instant.parse("2026-02-26T15:00:00Z");

    private static DynaliteServer server;
    private static DynamoDbClient dynamo;
    private static OnCallFeeds admin;
    private static OnCallFeedFunction function;
    private static OnCallDocument document;

    @BeforeAll
    static void start() throws Exception {
        server = DynaliteServer.start(Projects.root(), null);
        dynamo = DynaliteResource.client(server.endpoint());
        TableBootstrap.ensureTable(dynamo, TABLE);
        var settings = TestSettings.settings(TABLE);
        OnCallStore store = new OnCallStore(dynamo, settings);
        document = DocumentReader.read(JSON.readTree(Projects.root().resolve("src/test/resources/oncall/example.json")
                .toFile()));
        store.apply(document, true);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        FeedStore feeds = new FeedStore(dynamo, settings);
        admin = new OnCallFeeds();
        admin.feeds = feeds;
        admin.store = store;
        admin.clock = clock;
        function = new OnCallFeedFunction();
        function.feeds = feeds;
        function.store = store;
        function.clock = clock;
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    static ObjectNode get(String file) {
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", "GET /oncall/feed/{file}")
                .put("rawPath", OnCallFeeds.PATH_PREFIX + file);
        event.putObject("pathParameters").put("file", file);
        event.putObject("requestContext").putObject("http").put("method", "GET");
        return (ObjectNode) function.feed(event);
    }

    static String create(String field, String id) {
        var answer = admin.create(JSON.createObjectNode().put(field, id));
        assertEquals(200, answer.status(), answer.body().toString());
        String path = answer.body().path("path").asText();
        assertTrue(path.startsWith(OnCallFeeds.PATH_PREFIX + "tcf_") && path.endsWith(".ics"), path);
        return path.substring(OnCallFeeds.PATH_PREFIX.length());
    }

    static List<VEvent> events(String body) throws Exception {
        Calendar calendar = new CalendarBuilder().build(new StringReader(body));
        calendar.validate();
        return calendar.getComponents("VEVENT");
    }

    static Instant instant(VEvent event, boolean start) {
        Temporal t = start ? event.getStartDate().orElseThrow().getDate() : event.getEndDate().orElseThrow().getDate();
        return Instant.from(t);
    }

    @Test
    void aScheduleFeedIsTheFinalShiftsOfItsWindowAcrossADstChange() throws Exception {
        String file = create("schedule", "primary");
        ObjectNode response = get(file);
        assertEquals(200, response.path("statusCode").asInt());
        assertEquals("text/calendar; charset=utf-8", response.path("headers").path("content-type").asText());
        String body = response.path("body").asText();
        Schedule primary = document.schedules().get(0);
        List<Shift> shifts = ScheduleResolver.shifts(primary, NOW.minus(FeedCalendar.BEHIND),
                NOW.plus(FeedCalendar.AHEAD));
        List<VEvent> events = events(body);
        assertTrue(shifts.size() > 20, "weeks of shifts: " + shifts.size());
        assertEquals(shifts.size(), events.size());
        for (int i = 0; i < shifts.size(); i++) {
            assertEquals(shifts.get(i).start(), instant(events.get(i), true), "start of " + shifts.get(i));
            assertEquals(shifts.get(i).end(), instant(events.get(i), false), "end of " + shifts.get(i));
            String summary = events.get(i).getProperty(Property.SUMMARY).map(Property::getValue).orElseThrow();
            assertTrue(summary.contains(name(shifts.get(i).person())), summary);
        }
        // the weekly handoff stays at 09:00 New York time: 14:00 UTC before the change, 13:00 UTC after it
        // the office layer starts at 09:00 Berlin time: 08:00 UTC before Berlin's change (29 March), 07:00 after
        assertTrue(body.contains("DTSTART:20260327T080000Z"), "Friday 27 March 09:00 CET");
        assertTrue(body.contains("DTSTART:20260330T070000Z"), "Monday 30 March 09:00 CEST");
        assertFalse(body.contains("TZID"), "times are UTC (RFC 5545 3.3.5 form 2), no zone to misread");
    }

    @Test
    void aPersonFeedHoldsTheirShiftsOnEverySchedule() throws Exception {
        String file = create("person", "cat");
        List<VEvent> events = events(get(file).path("body").asText());
        List<Shift> expected = new ArrayList<>(ScheduleResolver.upcoming(document.schedules(), "cat",
                NOW.minus(FeedCalendar.BEHIND), FeedCalendar.BEHIND.plus(FeedCalendar.AHEAD)));
        assertFalse(expected.isEmpty());
        assertEquals(expected.size(), events.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).start(), instant(events.get(i), true));
            assertEquals(expected.get(i).end(), instant(events.get(i), false));
        }
    }

    @Test
    void revokedUnknownWrongAndMalformedSecretsAllAnswerTheSame404() {
        String file = create("schedule", "primary");
        String id = file.substring(4, 20);
        char last = file.charAt(file.length() - 5);
        String wrongSecret = file.substring(0, file.length() - 5) + (last == 'A' ? 'B' : 'A') + ".ics";
        String unknownId = "tcf_" + (id.charAt(0) == 'f' ? "e" : "f") + file.substring(5);
        assertEquals(200, get(file).path("statusCode").asInt());
        JsonNode list = admin.list().body().path("feeds");
        assertTrue(list.toString().contains(id));
        assertFalse(list.toString().contains(file.substring(21, 60)), "the list never shows a secret");
        for (String bad : List.of(wrongSecret, unknownId, "tcf_short.ics", "../../etc/passwd", "")) {
            ObjectNode response = get(bad);
            assertEquals(404, response.path("statusCode").asInt(), bad);
            assertEquals("no such feed\n", response.path("body").asText());
        }
        assertEquals(200, admin.revoke(JSON.createObjectNode().put("id", id)).status());
        assertEquals(404, get(file).path("statusCode").asInt(), "revoked: served no more");
        assertEquals(404, admin.revoke(JSON.createObjectNode().put("id", id)).status(), "revoked once");
        assertFalse(admin.list().body().path("feeds").toString().contains(id));
    }

    @Test
    void onlyTheSaltedHashIsStored() {
        String file = create("schedule", "primary");
        String secret = file.substring(21, file.length() - 4);
        var items = dynamo.scan(b -> b.tableName(TABLE)).items();
        assertTrue(items.stream().anyMatch(i -> i.get("sk").s().equals(file.substring(4, 20))));
        items.forEach(item -> item.values().forEach(v -> assertFalse(String.valueOf(v).contains(secret))));
    }

    @Test
    void aFeedNeedsAConfiguredScheduleOrPerson() {
        assertEquals(404, admin.create(JSON.createObjectNode().put("schedule", "nope")).status());
        assertEquals(404, admin.create(JSON.createObjectNode().put("person", "nope")).status());
        assertEquals(400, admin.create(JSON.createObjectNode()).status());
        assertEquals(400, admin.create(JSON.createObjectNode().put("person", "ann").put("schedule", "primary"))
                .status());
    }

    @Test
    void aDocumentThatDoesNotReadAnswers503SoThatCalendarAppsTryAgain() {
        String file = create("schedule", "primary");
        // a person a layer names is gone (two applies interleaved): the document does not read until the next apply
        dynamo.deleteItem(b -> b.tableName(TABLE).key(io.tocsin.store.Attr.key("ONCALL", "PERSON#cat")));
        try {
            ObjectNode response = get(file);
            assertEquals(503, response.path("statusCode").asInt(), response.toString());
        } finally {
            admin.store.apply(document, true);
        }
        assertEquals(200, get(file).path("statusCode").asInt(), "repaired by the next apply");
    }

    private static String name(String person) {
        return document.people().stream().filter(p -> p.id().equals(person)).findFirst().orElseThrow().name();
    }
}
