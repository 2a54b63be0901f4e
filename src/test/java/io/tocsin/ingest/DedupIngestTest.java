package io.tocsin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.AlertCodec;
import io.tocsin.dedup.DedupStore;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** Deduplication through the pipeline, on dynalite, with a clock the tests move. */
@QuarkusTest
class DedupIngestTest {

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    DedupStore claims;
    @Inject
    NormaliseStage normalise;
    @Inject
    MutableClock clock;
    @Inject
    io.tocsin.oncall.store.OnCallSnapshot onCall;
    @Inject
    io.tocsin.maintenance.MaintenancePolicy maintenance;
    @Inject
    io.tocsin.incident.IncidentLifecycle lifecycle;
    @Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;
    @Inject
    io.tocsin.config.Settings settings;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    private IngestResult ingest(ObjectNode alert) {
        return pipeline.ingest(alert, alert.toString().length());
    }

    @Test
    void fiftyConcurrentIdenticalAlertsMakeOneIncidentAndOnePage() throws Exception {
        ObjectNode alert = Alerts.alert("critical", "Database connection failure");
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<IngestResult>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Callable<IngestResult> call = () -> {
                start.await();
                return ingest(alert.deepCopy());
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        List<IngestResult> results = new ArrayList<>();
        for (Future<IngestResult> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();

        List<IngestResult.Created> created = results.stream().filter(IngestResult.Created.class::isInstance)
                .map(IngestResult.Created.class::cast).toList();
        assertEquals(1, created.size(), "exactly one caller opens the incident");
        String id = created.get(0).incidentId();
        long duplicates = results.stream().filter(IngestResult.Suppressed.class::isInstance)
                .map(IngestResult.Suppressed.class::cast)
                .peek(s -> assertEquals(id, s.incidentId()))
                .count();
        assertEquals(49, duplicates);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 49).boxed().toList(), results.stream()
                .filter(IngestResult.Suppressed.class::isInstance).map(r -> ((IngestResult.Suppressed) r)
                        .duplicateCount()).sorted().toList(), "each duplicate was told its own count, 1 to 49");
        assertEquals(49, incidents.findWithDuplicates(id).orElseThrow().duplicateCount(), "counted on the claim, folded when read");
        assertEquals(1, PagerDutyFake.eventsFor(id).size(), "one PagerDuty trigger");
        assertEquals(1, PagerDutyFake.events().size(), "and no other PagerDuty request");
        lifecycle.resolve(id, "done", "alice");
        assertEquals(49, incidents.findAsStored(id).orElseThrow().duplicateCount(), "and folded into the item by the resolve");
    }

    @Test
    void aProblemFiringEveryMinuteForTwoHoursIsOneIncidentOnePageAndARepeatPerWindow() {
        ObjectNode alert = Alerts.alert("high", "Nightly job failing " + java.util.UUID.randomUUID());
        var first = assertInstanceOf(IngestResult.Created.class, ingest(alert));
        for (int minute = 1; minute < 120; minute++) {
            clock.advance(Duration.ofMinutes(1));
            var repeat = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert), "minute " + minute);
            assertEquals(first.incidentId(), repeat.incidentId(), "joins the open incident, minute " + minute);
        }
        var incident = incidents.findWithDuplicates(first.incidentId()).orElseThrow();
        assertEquals(119, incident.duplicateCount());
        assertEquals(clock.instant(), incident.lastSeenAt());
        List<String> actions = PagerDutyFake.eventsFor(first.incidentId()).stream()
                .map(e -> e.path("event_action").asText()).toList();
        assertTrue(actions.stream().allMatch("trigger"::equals), actions.toString());
        int forwarded = actions.size() - 1;
        // ALERT_DEDUP_WINDOW = 300 s: the first repeat after each window goes to PagerDuty under the same dedup_key
        assertEquals(23, forwarded, "one forwarded repeat per 5 minutes of the 119 (at 5, 10, ... 115 min)");
        assertTrue(forwarded <= 24);
        assertEquals(forwarded, incident.timeline().stream()
                .filter(e -> e.type() == io.tocsin.incident.TimelineEvent.Type.REPEAT_FORWARDED).count(),
                "the timeline shows every forwarded repeat");
        assertEquals(1, PagerDutyFake.events().stream().map(PagerDutyFake::json)
                .map(e -> e.path("dedup_key").asText()).distinct().count(), "one PagerDuty alert, one page");
    }

    @Test
    void anAlertAfterTheResolveOpensANewIncidentAtOnce() {
        ObjectNode alert = Alerts.alert("high", "Disk full " + java.util.UUID.randomUUID());
        var first = assertInstanceOf(IngestResult.Created.class, ingest(alert));
        clock.advance(Duration.ofSeconds(30));
        lifecycle.resolve(first.incidentId(), "cleaned up", "alice");
        clock.advance(Duration.ofSeconds(30)); // well inside ALERT_DEDUP_WINDOW
        var recurrence = assertInstanceOf(IngestResult.Created.class, ingest(alert), "a recurrence pages again");
        assertTrue(!recurrence.incidentId().equals(first.incidentId()));
        assertEquals(List.of("trigger"), PagerDutyFake.eventsFor(recurrence.incidentId()).stream()
                .map(e -> e.path("event_action").asText()).toList(), "the new incident is paged");
        assertEquals(0, incidents.findWithDuplicates(first.incidentId()).orElseThrow().duplicateCount(),
                "the recurrence is not counted on the resolved incident");
        var repeat = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert));
        assertEquals(recurrence.incidentId(), repeat.incidentId(), "and repeats join the new incident");
    }

    @Test
    void theKeyIsDerivedStablyFromSourceAndTitleWhenNoneIsGiven() {
        ObjectNode alert = Alerts.alert("low", "Nightly export finished late");
        ObjectNode otherTitle = alert.deepCopy().put("title", "Nightly export failed");
        var first = assertInstanceOf(IngestResult.Created.class, ingest(alert));
        assertInstanceOf(IngestResult.Suppressed.class, ingest(alert.deepCopy()));
        var distinct = assertInstanceOf(IngestResult.Created.class, ingest(otherTitle));
        assertTrue(!distinct.incidentId().equals(first.incidentId()), "a different title is a different alert");
    }

    @Test
    void aNewAlertCostsTwoWritesAndADuplicateOneRequestWithoutCallingPagerDuty() {
        ObjectNode alert = Alerts.alert("medium", "Elevated rate limiting " + java.util.UUID.randomUUID());
        warmMaintenanceCache();
        var created = DynamoRequestMeter.measure(() -> ingest(alert));
        String id = assertInstanceOf(IngestResult.Created.class, created.result()).incidentId();
        assertEquals(java.util.Map.of("UpdateItem", 1, "PutItem", 1), created.requests(),
                "new alert: the claim (UpdateItem), the incident (conditional PutItem)");
        int pagesBefore = PagerDutyFake.events().size();

        var duplicate = DynamoRequestMeter.measure(() -> ingest(alert));
        assertEquals(1, assertInstanceOf(IngestResult.Suppressed.class, duplicate.result()).duplicateCount());
        assertEquals(java.util.Map.of("UpdateItem", 1), duplicate.requests(), "duplicate: the claim alone");
        assertEquals(pagesBefore, PagerDutyFake.events().size(), "PagerDuty calls per duplicate");

        clock.advance(Duration.ofMinutes(1)); // past the claim's lease: the first duplicate looks at the incident once
        warmMaintenanceCache();
        var firstAfterLease = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Suppressed.class, firstAfterLease.result());
        assertEquals(java.util.Map.of("UpdateItem", 2, "GetItem", 1), firstAfterLease.requests(),
                "once per incident: the claim, the incident read, the claim marked recorded");
        var later = DynamoRequestMeter.measure(() -> ingest(alert));
        assertEquals(java.util.Map.of("UpdateItem", 1), later.requests(), "then one request again");

        clock.advance(Duration.ofMinutes(5));
        warmMaintenanceCache();
        var repeat = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Suppressed.class, repeat.result());
        assertEquals(java.util.Map.of("UpdateItem", 4), repeat.requests(),
                "the first repeat after the window: claim, forward (outbox), the claim's next due time, its outcome");
        assertEquals(pagesBefore + 1, PagerDutyFake.events().size(), "forwarded once to PagerDuty");
        var afterRepeat = DynamoRequestMeter.measure(() -> ingest(alert));
        assertEquals(java.util.Map.of("UpdateItem", 1), afterRepeat.requests());
        assertEquals(5, incidents.findWithDuplicates(id).orElseThrow().duplicateCount(), "folded from the claim when read");
        assertEquals(0, incidents.findAsStored(id).orElseThrow().duplicateCount(), "the item itself was never written");

        var resolve = DynamoRequestMeter.measure(() -> lifecycle.resolve(id, "fixed", "alice"));
        assertEquals(5, assertInstanceOf(io.tocsin.incident.Transition.Applied.class, resolve.result()).incident()
                .duplicateCount(), "the resolve answers with the final count");
        assertEquals(5, incidents.findAsStored(id).orElseThrow().duplicateCount(), "folded into the item by the resolve");
        warmMaintenanceCache();
        var recurrence = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Created.class, recurrence.result());
        assertEquals(java.util.Map.of("UpdateItem", 2, "PutItem", 2), recurrence.requests(),
                "a recurrence after the resolve: claim (refused: closed), reopen, fold, new incident");
        assertEquals(5, incidents.findWithDuplicates(id).orElseThrow().duplicateCount(), "the recurrence is not counted");
        System.out.printf("DynamoDB requests: new alert %s, duplicate %s, first after lease %s, forwarded repeat %s, "
                + "resolve %s, recurrence %s%n", created.requests(), duplicate.requests(), firstAfterLease.requests(),
                repeat.requests(), resolve.requests(), recurrence.requests());
    }

    @Test
    void aResolveWhoseClaimWasNeverClosedIsFoundByTheNextLookAndTheCountStaysExact() {
        ObjectNode alert = Alerts.alert("high", "Queue backlog " + java.util.UUID.randomUUID());
        var first = assertInstanceOf(IngestResult.Created.class, ingest(alert));
        clock.advance(Duration.ofMinutes(1));
        ingest(alert); // marks the claim recorded
        // the resolving invocation died after its write, before closing the claim: resolve the item alone
        assertThrows(DiesBeforeClosingTheClaim.class, () -> dyingResolver().resolve(first.incidentId(), "bob", "fixed",
                clock.instant(), List.of()));
        assertEquals(io.tocsin.incident.IncidentStatus.RESOLVED,
                incidents.findAsStored(first.incidentId()).orElseThrow().status(), "the resolve's write was made");
        assertEquals(1, incidents.findWithDuplicates(first.incidentId()).orElseThrow().duplicateCount(),
                "duplicates_unfolded: the read folds from the claim");

        clock.advance(Duration.ofSeconds(10));
        var inTheGap = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert),
                "the claim still says open: counted, and told so");
        assertEquals(first.incidentId(), inTheGap.incidentId());
        clock.advance(Duration.ofMinutes(5)); // the next look (the repeat due) finds the incident resolved
        var looked = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert));
        assertEquals(first.incidentId(), looked.incidentId(), "counted before the look: its last duplicate");
        assertEquals(3, incidents.findAsStored(first.incidentId()).orElseThrow().duplicateCount(),
                "folded into the item when the look closed the claim");
        var recurrence = assertInstanceOf(IngestResult.Created.class, ingest(alert), "the next alert pages again");
        assertEquals(List.of("trigger"), PagerDutyFake.eventsFor(recurrence.incidentId()).stream()
                .map(e -> e.path("event_action").asText()).toList());
        assertEquals(3, incidents.findWithDuplicates(first.incidentId()).orElseThrow().duplicateCount());
        assertEquals(0, incidents.findWithDuplicates(recurrence.incidentId()).orElseThrow().duplicateCount());
    }

    /** The invocation dies between the resolve's write and the closing of its dedup claim. */
    static final class DiesBeforeClosingTheClaim extends RuntimeException {
    }

    /** Writes that die after the incident's write, before the claim is closed (the process ends there). */
    private io.tocsin.incident.IncidentTransitions dyingResolver() {
        DedupStore dying = new DedupStore(dynamo, settings) {
            @Override
            public java.util.Optional<ClaimCount> close(String dedupKey, String incidentId) {
                throw new DiesBeforeClosingTheClaim();
            }
        };
        var outbox = new io.tocsin.incident.OutboxStore(dynamo, settings);
        return new io.tocsin.incident.IncidentTransitions(dynamo, settings, incidents, outbox,
                new io.tocsin.incident.IncidentWrites(dynamo, settings, outbox, dying));
    }

    /**
     * What the previous version left: a claim without {@code repeat_due_ms}, and the incident's own
     * {@code duplicate_count} equal to the claim's {@code hits - 1} (it counted there, only upwards).
     */
    private String previousVersionClaim(ObjectNode alert, boolean resolvedByIt) {
        String id = assertInstanceOf(IngestResult.Created.class, ingest(alert)).incidentId();
        ingest(alert);
        ingest(alert); // hits 3
        String key = incidents.findAsStored(id).orElseThrow().alert().dedupKey();
        var table = settings.tableName();
        dynamo.updateItem(b -> b.tableName(table).key(io.tocsin.store.Attr.key(DedupStore.partitionKey(key), "CLAIM"))
                .updateExpression("REMOVE repeat_due_ms, recorded"));
        dynamo.updateItem(b -> b.tableName(table).key(io.tocsin.store.Attr.key(
                io.tocsin.incident.IncidentStore.partitionKey(id), io.tocsin.incident.IncidentStore.SK_META))
                .updateExpression("SET duplicate_count = :two")
                .expressionAttributeValues(java.util.Map.of(":two", io.tocsin.store.Attr.n(2))));
        if (resolvedByIt) {
            assertThrows(DiesBeforeClosingTheClaim.class,
                    () -> dyingResolver().resolve(id, "bob", "fixed", clock.instant(), List.of()));
            dynamo.updateItem(b -> b.tableName(table).key(io.tocsin.store.Attr.key(
                    io.tocsin.incident.IncidentStore.partitionKey(id), io.tocsin.incident.IncidentStore.SK_META))
                    .updateExpression("REMOVE duplicates_unfolded"));
        }
        return id;
    }

    @Test
    void aClaimOfThePreviousVersionIsLookedAtOnceThenCountsWithoutCountingTwice() {
        ObjectNode alert = Alerts.alert("high", "Old claim, open incident " + java.util.UUID.randomUUID());
        String id = previousVersionClaim(alert, false);
        assertEquals(2, incidents.findWithDuplicates(id).orElseThrow().duplicateCount(), "stored 2, claim hits 3: 2, not 4");

        var joined = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert));
        assertEquals(id, joined.incidentId());
        assertEquals(3, joined.duplicateCount());
        assertEquals(3, incidents.findWithDuplicates(id).orElseThrow().duplicateCount(), "the claim's count, not stored + claim");
        var next = DynamoRequestMeter.measure(() -> ingest(alert));
        assertEquals(java.util.Map.of("UpdateItem", 1), next.requests(), "the claim upgraded: one request again");
        assertEquals(4, incidents.findWithDuplicates(id).orElseThrow().duplicateCount());
    }

    @Test
    void aClaimOfThePreviousVersionWhoseIncidentItResolvedOpensANewIncidentAndTheOldCountStaysExact() {
        ObjectNode alert = Alerts.alert("high", "Old claim, resolved incident " + java.util.UUID.randomUUID());
        String id = previousVersionClaim(alert, true);

        var recurrence = assertInstanceOf(IngestResult.Created.class, ingest(alert), "a recurrence pages at once");
        assertEquals(List.of("trigger"), PagerDutyFake.eventsFor(recurrence.incidentId()).stream()
                .map(e -> e.path("event_action").asText()).toList());
        assertEquals(2, incidents.findAsStored(id).orElseThrow().duplicateCount(), "the recurrence not counted on the old one");
        assertEquals(2, incidents.findWithDuplicates(id).orElseThrow().duplicateCount());
        var repeat = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert));
        assertEquals(recurrence.incidentId(), repeat.incidentId());
        assertEquals(1, incidents.findWithDuplicates(recurrence.incidentId()).orElseThrow().duplicateCount());
    }

    /**
     * Run-time maintenance windows are read once per tocsin.maintenance.cache-ttl per instance (one Query), not per
     * alert: the figures below are those of an instance whose cache is warm, as nearly every alert finds it.
     */
    /**
     * A warm container: its maintenance windows and its copy of the on-call document are loaded (each costs a Query
     * once per container and minute: BENCHMARKS.md; an {@code apply} by another test of this profile drops the copy).
     */
    private void warmMaintenanceCache() {
        maintenance.windowFor(normalise.apply(Alerts.alert("low", "warm-up"), clock.instant()), clock.instant());
        onCall.current();
    }

    @Test
    void aRetryAfterACrashBetweenClaimAndRecordRecoversTheAlertAndPagesOnce() {
        ObjectNode event = Alerts.alert("critical", "Service down");
        var alert = normalise.apply(event, clock.instant());
        // the first invocation claimed the key (storing the alert), then died before paging or recording
        var claim = claims.claim(alert.dedupKey(), "crashed-incident-" + java.util.UUID.randomUUID(),
                AlertCodec.encode(alert), clock.instant());
        String id = assertInstanceOf(DedupStore.Claim.Won.class, claim).incidentId();

        clock.advance(Duration.ofSeconds(5)); // a retry inside the lease: the original may still be working
        assertInstanceOf(IngestResult.Suppressed.class, ingest(event));
        assertTrue(PagerDutyFake.eventsFor(id).isEmpty());

        clock.advance(Duration.ofMinutes(1)); // Lambda's asynchronous retry, after the lease
        var recovered = assertInstanceOf(IngestResult.Created.class, ingest(event));
        assertEquals(id, recovered.incidentId());
        assertTrue(recovered.recovered());
        assertEquals(1, PagerDutyFake.eventsFor(id).size());
        var incident = incidents.findWithDuplicates(id).orElseThrow();
        assertEquals(alert.receivedAt(), incident.createdAt(), "the incident keeps the time of the first alert");
        assertEquals(2, incident.duplicateCount());

        clock.advance(Duration.ofSeconds(1)); // and a further retry is an ordinary duplicate
        assertInstanceOf(IngestResult.Suppressed.class, ingest(event));
        assertEquals(1, PagerDutyFake.eventsFor(id).size());
    }
}
