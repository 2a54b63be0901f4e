package io.tocsin.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.config.Settings;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.notify.HandoffEmail;
import io.tocsin.notify.HandoffEmailNotifier;
import io.tocsin.notify.Outcome;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.store.TestSettings;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import io.tocsin.time.Deadline;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Handoff notices against dynalite with an injected clock (each test calls the pass at the instants a minutely sweep
 * would): each boundary's outgoing and incoming person are told once, within 2 minutes of it, also across a DST change;
 * overlapping sweeps send once; a sweep that dies after writing a notice leaves it to the next; a sweep after an
 * outage sends nothing older than the cut-off; no schedule costs one Query and sends nothing.
 */
class HandoffNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** A daily rotation handing off at 09:00 New York time; New York changes to summer time on 8 March 2026. */
    private static final String DOCUMENT = """
            {"version": 1,
             "people": [
               {"id": "ann", "name": "Ann", "zone": "America/New_York",
                "contacts": [{"id": "mail", "kind": "email", "address": "ann@example.com"}],
                "rules": [{"contact": "mail", "after": "PT0S"}]},
               {"id": "bob", "name": "Bob", "zone": "Europe/Berlin",
                "contacts": [{"id": "mail", "kind": "email", "address": "bob@example.com"}],
                "rules": [{"contact": "mail", "after": "PT0S"}]}],
             "schedules": [
               {"id": "primary", "name": "Primary", "zone": "America/New_York",
                "layers": [{"id": "daily", "start": "2026-03-01T09:00", "turn": "P1D", "members": ["ann", "bob"]}]}]}
            """;

    private static DynaliteServer server;
    private static DynamoDbClient dynamo;
    private static Settings settings;
    private static int table;

    private OnCallStore onCall;
    private HandoffStore store;
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicReference<FaultPoint> crashAt = new AtomicReference<>();
    private Consumer<HandoffEmail> duringSend = e -> {
    };

    record Sent(HandoffEmail email, Instant at) {
    }

    @BeforeAll
    static void start() {
        server = DynaliteServer.start(Projects.root(), null);
        dynamo = DynaliteResource.client(server.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    @BeforeEach
    void freshTable() throws Exception {
        String name = "handoff-test-" + (++table);
        TableBootstrap.ensureTable(dynamo, name);
        settings = TestSettings.settings(name);
        onCall = new OnCallStore(dynamo, settings);
        store = new HandoffStore(dynamo, settings);
        onCall.apply(DocumentReader.read(JSON.readTree(DOCUMENT)), true);
    }

    /** The pass with a sender that records each email and the sweep instant it was sent at. */
    HandoffNotices notices(DynamoDbClient client, Instant[] now) {
        HandoffEmailNotifier sender = new HandoffEmailNotifier(null, null, null) {
            @Override
            public Outcome send(HandoffEmail email) {
                duringSend.accept(email);
                sent.add(new Sent(email, now[0]));
                return new Outcome.Delivered(0, "emailed " + email.recipients());
            }
        };
        FaultHook faults = point -> {
            if (crashAt.compareAndSet(point, null)) {
                throw new Error("simulated crash at " + point);
            }
        };
        return new HandoffNotices(new OnCallStore(client, settings), new HandoffStore(client, settings), sender,
                settings, faults);
    }

    HandoffNotices.Report sweep(HandoffNotices pass, Instant[] clock, Instant at) {
        clock[0] = at;
        return pass.run(at, Deadline.NONE, Duration.ofSeconds(31));
    }

    /** 09:00 New York time on a March 2026 day. */
    static Instant nine(int day) {
        return java.time.LocalDate.of(2026, 3, day).atTime(9, 0).atZone(NEW_YORK).toInstant();
    }

    @Test
    void everyBoundaryTellsTheOutgoingAndTheIncomingPersonOnceWithinTwoMinutesAcrossADstChange() {
        Instant[] clock = {null};
        HandoffNotices pass = notices(dynamo, clock);
        List<Instant> boundaries = List.of(nine(6), nine(7), nine(8), nine(9), nine(10));
        // a sweep every minute, from 10 minutes before each boundary to 10 after, at 17 s past the minute
        for (Instant boundary : boundaries) {
            for (int minute = -10; minute <= 10; minute++) {
                sweep(pass, clock, boundary.plus(Duration.ofMinutes(minute)).plusSeconds(17));
            }
        }
        assertEquals(boundaries.size() * 2, sent.size(), "two notices per boundary: " + sent);
        for (Instant boundary : boundaries) {
            List<Sent> here = sent.stream().filter(s -> s.email().boundary().equals(boundary)).toList();
            assertEquals(2, here.size(), "boundary " + boundary);
            assertEquals(LocalTime.of(9, 0), boundary.atZone(NEW_YORK).toLocalTime());
            for (Sent s : here) {
                Duration late = Duration.between(boundary, s.at());
                assertTrue(!late.isNegative() && late.compareTo(Duration.ofMinutes(2)) <= 0, "sent " + late + " late");
            }
            Sent incoming = here.stream().filter(s -> s.email().incoming()).findFirst().orElseThrow();
            Sent outgoing = here.stream().filter(s -> !s.email().incoming()).findFirst().orElseThrow();
            assertEquals(outgoing.email().personName(), incoming.email().other());
            assertEquals(incoming.email().personName(), outgoing.email().other());
            assertEquals(LocalTime.of(9, 0), incoming.email().until().atZone(NEW_YORK).toLocalTime(),
                    "the shift ends at 09:00 local time too");
        }
        // the shift spanning the change (7 March 09:00 EST to 8 March 09:00 EDT) is 23 hours long
        Sent spanning = sent.stream().filter(s -> s.email().incoming() && s.email().boundary().equals(nine(7)))
                .findFirst().orElseThrow();
        assertEquals(Duration.ofHours(23), Duration.between(spanning.email().boundary(), spanning.email().until()));
        // every item is bounded: DynamoDB's TTL removes it two days after its boundary
        dynamo.scan(b -> b.tableName(settings.tableName())).items().stream()
                .filter(i -> i.get("pk").s().equals(HandoffStore.PARTITION))
                .forEach(i -> assertEquals(Instant.parse(i.get("boundary").s()).plus(HandoffStore.KEEP).getEpochSecond(),
                        Long.parseLong(i.get("expires_at").n())));
    }

    @Test
    void overlappingSweepsSendOnce() {
        Instant[] clock = {null};
        HandoffNotices pass = notices(dynamo, clock);
        HandoffNotices other = notices(dynamo, clock);
        AtomicInteger nested = new AtomicInteger();
        // while the first sweep is sending, a second one runs the same minute (EventBridge can overlap two runs)
        duringSend = email -> {
            if (nested.getAndIncrement() == 0) {
                String sending = HandoffStore.SORTABLE.format(email.boundary()) + "#primary#"
                        + (email.incoming() ? "incoming" : "outgoing");
                List<String> alsoSent = other.run(clock[0], Deadline.NONE, Duration.ofSeconds(31)).sent();
                assertTrue(alsoSent.stream().noneMatch(s -> s.startsWith(sending)),
                        "the notice being sent is held by its writer: " + alsoSent);
            }
        };
        sweep(pass, clock, nine(9).plusSeconds(5));
        sweep(other, clock, nine(9).plusSeconds(65));
        sweep(pass, clock, nine(9).plusSeconds(125));
        assertEquals(2, sent.size(), sent.toString());
        assertEquals(1, sent.stream().filter(s -> s.email().incoming()).count(), "each once, by one sweep or the other");
    }

    @Test
    void aNoticeWhoseSweepDiedAfterWritingItIsSentByTheNextSweepOnce() {
        Instant[] clock = {null};
        HandoffNotices pass = notices(dynamo, clock);
        crashAt.set(FaultPoint.EFFECT_WRITTEN);
        assertThrows(Error.class, () -> sweep(pass, clock, nine(9).plusSeconds(5)));
        assertEquals(0, sent.size(), "died before sending");
        sweep(pass, clock, nine(9).plusSeconds(65)); // the lease (60 s) ran out: taken over
        assertEquals(2, sent.size(), "the dead run's notice and the other one of the boundary: " + sent);
        assertTrue(sent.stream().allMatch(s -> Duration.between(nine(9), s.at()).compareTo(Duration.ofMinutes(2)) <= 0));
        sweep(pass, clock, nine(9).plusSeconds(125));
        sweep(pass, clock, nine(9).plusSeconds(185));
        assertEquals(2, sent.size(), "each once");
    }

    @Test
    void aSweepThatDiedAfterSendingSendsAgainAtLeastOnceWithTheSameMessageId() {
        Instant[] clock = {null};
        HandoffNotices pass = notices(dynamo, clock);
        crashAt.set(FaultPoint.EFFECT_SENT);
        assertThrows(Error.class, () -> sweep(pass, clock, nine(9).plusSeconds(5)));
        assertEquals(1, sent.size());
        sweep(pass, clock, nine(9).plusSeconds(65));
        sweep(pass, clock, nine(9).plusSeconds(125));
        assertEquals(3, sent.size(), "the unconfirmed one again, and the boundary's other notice: " + sent);
        String first = sent.get(0).email().messageId();
        assertEquals(2, sent.stream().filter(s -> s.email().messageId().equals(first)).count(),
                "the copy carries the same Message-ID, so that mail clients can tell it is the same message");
    }

    @Test
    void aSweepAfterAnOutageDoesNotSendBoundariesOlderThanTheCutOff() {
        Instant[] clock = {null};
        HandoffNotices pass = notices(dynamo, clock);
        Instant back = nine(9).plus(HandoffNotices.CUTOFF).plusSeconds(1);
        sweep(pass, clock, back);
        sweep(pass, clock, back.plusSeconds(60));
        assertEquals(0, sent.size(), "a boundary more than the cut-off ago is not announced");
        // a notice written pending just before an outage is not finished past the cut-off either
        crashAt.set(FaultPoint.EFFECT_WRITTEN);
        assertThrows(Error.class, () -> sweep(pass, clock, nine(10).plusSeconds(5)));
        sweep(pass, clock, nine(10).plus(HandoffNotices.CUTOFF).plusSeconds(30));
        assertEquals(0, sent.size());
        // within the cut-off, a late sweep still tells people
        sweep(pass, clock, nine(11).plus(Duration.ofMinutes(9)));
        assertEquals(2, sent.size());
    }

    @Test
    void noScheduleCostsOneQueryAndSendsNothing() throws Exception {
        onCall.apply(OnCallDocument.EMPTY, true);
        AtomicInteger requests = new AtomicInteger();
        DynamoDbClient counting = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("close") && !method.getName().equals("serviceName")) {
                        requests.incrementAndGet();
                    }
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Instant[] clock = {null};
        HandoffNotices pass = notices(counting, clock);
        HandoffNotices.Report report = sweep(pass, clock, nine(9).plusSeconds(5));
        assertEquals(List.of(), report.sent());
        assertTrue(report.complete());
        assertEquals(1, requests.get(), "one Query of the on-call partition (a page of the paginator)");
        assertEquals(0, sent.size());
    }

    @Test
    void aStoredDocumentThatDoesNotReadSkipsTheNoticesWithoutFailingTheSweep() {
        // a schedule naming a person whose item is gone (two applies interleaved): the document does not read
        dynamo.deleteItem(b -> b.tableName(settings.tableName()).key(io.tocsin.store.Attr.key("ONCALL", "PERSON#bob")));
        Instant[] clock = {null};
        HandoffNotices.Report report = sweep(notices(dynamo, clock), clock, nine(9).plusSeconds(5));
        assertEquals(List.of(), report.sent());
        assertTrue(report.complete());
        assertEquals(0, sent.size());
    }

    @Test
    void aPersonWithoutAnEmailAddressIsSkippedAndTheOtherStillTold() throws Exception {
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(DOCUMENT);
        var bob = (com.fasterxml.jackson.databind.node.ObjectNode) doc.path("people").get(1);
        bob.putArray("contacts").addObject().put("id", "chat").put("kind", "slack").put("address", "U024BE7LH");
        bob.putArray("rules").addObject().put("contact", "chat").put("after", "PT0S");
        onCall.apply(DocumentReader.read(doc), true);
        Instant[] clock = {null};
        sweep(notices(dynamo, clock), clock, nine(9).plusSeconds(5));
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(List.of("ann@example.com"), sent.get(0).email().recipients());
    }
}
