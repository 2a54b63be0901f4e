package io.tocsin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.config.Settings;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.store.TestSettings;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The dashboard's "On call now and next" against dynalite: one request per view, the resolver's answer, the note. */
class OnCallSlotTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Monday 9 March 2026, 15:00 UTC: Berlin office hours are over, the weekly layer has the week. */
    private static final Instant NOW = Instant.parse("2026-03-09T15:30:00Z");

    private static DynaliteServer server;
    private static DynamoDbClient dynamo;
    private static Settings settings;
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = DynaliteServer.start(Projects.root(), null);
        dynamo = DynaliteResource.client(server.endpoint());
        TableBootstrap.ensureTable(dynamo, "oncall-slot-test");
        settings = TestSettings.settings("oncall-slot-test");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    /** The real client, counting every request. */
    static DynamoDbClient counting() {
        return (DynamoDbClient) Proxy.newProxyInstance(OnCallSlotTest.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    REQUESTS.incrementAndGet();
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void noScheduleKeepsTheNotConfiguredNoteForOneRequest() {
        new OnCallStore(dynamo, settings).apply(OnCallDocument.EMPTY, true);
        REQUESTS.set(0);
        DashboardView.OnCall slot = OnCallSlot.read(new OnCallStore(counting(), settings), NOW);
        assertEquals(List.of(), slot.rows());
        assertEquals(OnCallSlot.NOT_CONFIGURED, slot.note());
        assertEquals(1, REQUESTS.get(), "one Query of the on-call partition");
    }

    @Test
    void eachScheduleShowsWhoIsOnCallNowAndNextFromOneRequest() throws Exception {
        OnCallDocument document = DocumentReader.read(JSON.readTree(
                Projects.root().resolve("src/test/resources/oncall/example.json").toFile()));
        new OnCallStore(dynamo, settings).apply(document, true);
        REQUESTS.set(0);
        DashboardView.OnCall slot = OnCallSlot.read(new OnCallStore(counting(), settings), NOW);
        assertEquals(1, REQUESTS.get(), "one Query of the on-call partition, whatever the schedules");
        Schedule primary = document.schedules().get(0);
        List<Shift> shifts = ScheduleResolver.shifts(primary, NOW, NOW.plus(OnCallSlot.LOOKAHEAD));
        assertEquals(1, slot.rows().size());
        DashboardView.OnCallRow row = slot.rows().get(0);
        assertEquals("Primary", row.schedule());
        assertEquals(name(document, shifts.get(0).person()), row.now());
        assertTrue(row.until().startsWith(DashboardPage.TIME.format(shifts.get(0).end())), row.until());
        assertEquals(name(document, shifts.get(1).person()), row.next());
        assertTrue(row.from().startsWith(DashboardPage.TIME.format(shifts.get(1).start())), row.from());
        assertEquals("Bob Example", row.now(), "the week of 9 March is bob's on the weekly layer");
    }

    @Test
    void aGapShowsNoOne() throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                Projects.root().resolve("src/test/resources/oncall/example.json").toFile());
        // only the business-hours layer: outside office hours no one is on call
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.path("schedules").get(0).path("layers")).remove(0);
        tree.putArray("policies");
        tree.remove("routing");
        OnCallDocument document = DocumentReader.read(tree);
        DashboardView.OnCall slot = OnCallSlot.of(document, Instant.parse("2026-03-10T20:00:00Z"));
        assertEquals(OnCallSlot.NO_ONE, slot.rows().get(0).now());
        assertEquals("Bob Example", slot.rows().get(0).next());
        assertTrue(slot.rows().get(0).from().startsWith("2026-03-11 08:00 UTC"), slot.rows().get(0).from());
    }

    private static String name(OnCallDocument document, String id) {
        return document.people().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().name();
    }
}
