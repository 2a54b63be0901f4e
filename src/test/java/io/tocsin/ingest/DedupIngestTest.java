package io.tocsin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    io.tocsin.maintenance.MaintenancePolicy maintenance;

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
        assertEquals(49, incidents.find(id).orElseThrow().duplicateCount());
        assertEquals(1, PagerDutyFake.eventsFor(id).size(), "one PagerDuty trigger");
        assertEquals(1, PagerDutyFake.events().size(), "and no other PagerDuty request");
    }

    @Test
    void theWindowRunsFromTheFirstAlertAndANewIncidentFollowsIt() {
        ObjectNode alert = Alerts.alert("high", "Memory usage above 90%");
        var first = assertInstanceOf(IngestResult.Created.class, ingest(alert));

        clock.advance(Duration.ofSeconds(299));
        var duplicate = assertInstanceOf(IngestResult.Suppressed.class, ingest(alert));
        assertEquals(first.incidentId(), duplicate.incidentId());
        assertEquals(clock.instant(), incidents.find(first.incidentId()).orElseThrow().lastSeenAt());

        clock.advance(Duration.ofSeconds(1)); // 300 s after the first alert: the window has ended
        var second = assertInstanceOf(IngestResult.Created.class, ingest(alert));
        assertTrue(!second.incidentId().equals(first.incidentId()));
        assertEquals(1, PagerDutyFake.eventsFor(second.incidentId()).size(), "the new incident is paged");
        assertEquals(1, incidents.find(first.incidentId()).orElseThrow().duplicateCount(), "old count kept");
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
    void aNewAlertCostsTwoRequestsAndADuplicateTwoWithoutCallingPagerDuty() {
        ObjectNode alert = Alerts.alert("medium", "Elevated rate limiting");
        warmMaintenanceCache();
        var created = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Created.class, created.result());
        assertTrue(created.total() <= 2, "new alert: " + created.requests());
        int pagesBefore = PagerDutyFake.events().size();

        var duplicate = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Suppressed.class, duplicate.result());
        assertTrue(duplicate.total() <= 2, "duplicate: " + duplicate.requests());
        assertEquals(pagesBefore, PagerDutyFake.events().size(), "PagerDuty calls per duplicate");

        clock.advance(Duration.ofMinutes(6));
        warmMaintenanceCache();
        var afterWindow = DynamoRequestMeter.measure(() -> ingest(alert));
        assertInstanceOf(IngestResult.Created.class, afterWindow.result());
        assertEquals(3, afterWindow.total(), "a new window on a known key re-claims it: " + afterWindow.requests());
        System.out.printf("DynamoDB requests: new alert %s, duplicate %s, new window on a used key %s%n",
                created.requests(), duplicate.requests(), afterWindow.requests());
    }

    /**
     * Run-time maintenance windows are read once per tocsin.maintenance.cache-ttl per instance (one Query), not per
     * alert: the figures below are those of an instance whose cache is warm, as nearly every alert finds it.
     */
    private void warmMaintenanceCache() {
        maintenance.windowFor(normalise.apply(Alerts.alert("low", "warm-up"), clock.instant()), clock.instant());
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
        var incident = incidents.find(id).orElseThrow();
        assertEquals(alert.receivedAt(), incident.createdAt(), "the incident keeps the time of the first alert");
        assertEquals(2, incident.duplicateCount());

        clock.advance(Duration.ofSeconds(1)); // and a further retry is an ordinary duplicate
        assertInstanceOf(IngestResult.Suppressed.class, ingest(event));
        assertEquals(1, PagerDutyFake.eventsFor(id).size());
    }
}
