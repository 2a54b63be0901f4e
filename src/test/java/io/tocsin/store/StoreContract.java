package io.tocsin.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.dedup.DedupStore;
import io.tocsin.dedup.DedupStore.Claim;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.TimelineEvent;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.OutboxStore;
import io.tocsin.support.Outboxes;
import io.tocsin.incident.SuppressionReason;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The storage contract of {@link DedupStore} and {@link IncidentStore}: the real classes, built by hand (no Quarkus),
 * against a real DynamoDB engine given by the subclass. No mocks of DynamoDB, no sleeping, no {@code Instant.now()}:
 * every instant is fixed and moved by hand. Every test uses its own keys, so the tests share one table.
 */
public abstract class StoreContract {

    /** A fixed instant with milliseconds, the precision Tocsin stores. */
    protected static final Instant T0 = Instant.parse("2026-11-26T12:00:00.123Z");
    protected static final Duration WINDOW = Duration.ofSeconds(TestSettings.DEDUP_WINDOW_SECONDS);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A client of the engine under test, with a {@link DynamoRequestMeter} registered (see {@link #meteredClient}). */
    protected abstract DynamoDbClient client();

    protected abstract String tableName();

    protected Settings settings;
    protected DedupStore dedup;
    protected IncidentStore incidents;
    protected IncidentWrites writes;

    @BeforeEach
    void storesOnTheEngine() {
        TableBootstrap.ensureTable(client(), tableName());
        settings = TestSettings.settings(tableName());
        dedup = new DedupStore(client(), settings);
        incidents = new IncidentStore(client(), settings, new io.tocsin.incident.DuplicateFold(new io.tocsin.dedup.ClaimCounts(client(), settings)),
                java.time.Clock.systemUTC());
        writes = new IncidentWrites(client(), settings, new OutboxStore(client(), settings), dedup);
    }

    /** A plain SDK client with the request meter registered, so that {@link DynamoRequestMeter#measure} sees it. */
    protected static DynamoDbClient meteredClient(URI endpoint, String region, String accessKey, String secretKey) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(new DynamoRequestMeter())
                        .build())
                .build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // DedupStore

    @Test
    void newKeyIsWonAndLaterClaimsInTheWindowAreHeldWithTheStoredAlert() {
        String key = uniqueKey();
        Alert alert = alert(Severity.HIGH, key, T0);
        byte[] stored = AlertCodec.encode(alert);

        Claim first = dedup.claim(key, "inc-first", stored, T0);
        assertEquals(new Claim.Won("inc-first"), first);

        for (int n = 1; n <= 3; n++) {
            Instant at = T0.plusSeconds(10L * n);
            Claim claim = dedup.claim(key, "inc-later-" + n, AlertCodec.encode(alert(Severity.LOW, key, at)), at);
            Claim.Held held = assertInstanceOf(Claim.Held.class, claim);
            assertEquals("inc-first", held.incidentId());
            assertEquals(n, held.duplicateCount(), "duplicates counted 1, 2, 3, ...");
            assertEquals(T0, held.claimedAt(), "claimedAt is when the first alert claimed the key");
            assertArrayEquals(stored, held.alert(), "the held claim carries the first alert's bytes");
            assertEquals(alert, AlertCodec.decode(held.alert()));
        }
    }

    @Test
    void aClaimHoldsItsKeyPastAnyWindowUntilItsIncidentIsReopenedOnce() {
        String key = uniqueKey();
        Alert first = alert(Severity.HIGH, key, T0);
        assertEquals(new Claim.Won("inc-a"), dedup.claim(key, "inc-a", AlertCodec.encode(first), T0));

        Instant daysLater = T0.plus(Duration.ofDays(3));
        Claim.Held held = assertInstanceOf(Claim.Held.class,
                dedup.claim(key, "inc-b", AlertCodec.encode(alert(Severity.HIGH, key, daysLater)), daysLater));
        assertEquals("inc-a", held.incidentId(), "an alert that keeps firing joins its incident however long");
        assertEquals(1, held.duplicateCount());
        Map<String, AttributeValue> claim = rawItem(DedupStore.partitionKey(key), "CLAIM");
        assertEquals(Long.toString(daysLater.plus(Duration.ofDays(30)).getEpochSecond()), claim.get("expires_at").n(),
                "the expiry follows the last alert");

        // inc-a was resolved: the next alert reopens the key with a new incident, learning inc-a's final count
        Alert second = alert(Severity.CRITICAL, key, daysLater);
        assertEquals(Optional.of(new DedupStore.Reopened("inc-c", new DedupStore.ClaimCount("inc-a", 1, daysLater))),
                dedup.reopen(key, "inc-a", "inc-c", AlertCodec.encode(second), daysLater));
        assertEquals(Optional.empty(), dedup.reopen(key, "inc-a", "inc-d", AlertCodec.encode(second),
                daysLater.plusSeconds(1)), "a second reopen of the same resolved incident is refused");
        Claim.Held raced = assertInstanceOf(Claim.Held.class,
                dedup.claim(key, "inc-d", AlertCodec.encode(second), daysLater.plusSeconds(1)));
        assertEquals("inc-c", raced.incidentId(), "and that alert joins the new one");
        assertEquals(1, raced.duplicateCount(), "the new incident counts from zero");
        assertEquals(daysLater, raced.claimedAt());
        assertEquals(second, AlertCodec.decode(raced.alert()));
    }

    @Test
    void aClosedClaimCountsNothingMoreAndIsReopenedByTheNextAlert() {
        String key = uniqueKey();
        byte[] stored = AlertCodec.encode(alert(Severity.HIGH, key, T0));
        assertEquals(new Claim.Won("inc-a"), dedup.claim(key, "inc-a", stored, T0));
        dedup.claim(key, "inc-x", stored, T0.plusSeconds(1));
        dedup.claim(key, "inc-x", stored, T0.plusSeconds(2));

        assertEquals(Optional.empty(), dedup.close(key, "inc-other"), "only the incident the claim holds closes it");
        assertEquals(Optional.of(new DedupStore.ClaimCount("inc-a", 2, T0.plusSeconds(2))), dedup.close(key, "inc-a"),
                "closing returns the final count");
        Map<String, AttributeValue> before = rawItem(DedupStore.partitionKey(key), "CLAIM");
        assertEquals(new Claim.Refused(), dedup.claim(key, "inc-b", stored, T0.plusSeconds(3)));
        assertEquals(before, rawItem(DedupStore.partitionKey(key), "CLAIM"), "a refused alert is not counted");
        assertEquals(Optional.of(new DedupStore.Reopened("inc-b", new DedupStore.ClaimCount("inc-a", 2,
                T0.plusSeconds(2)))), dedup.reopen(key, null, "inc-b", stored, T0.plusSeconds(3)));
        assertEquals("inc-b", assertInstanceOf(Claim.Held.class, dedup.claim(key, "inc-c", stored,
                T0.plusSeconds(4))).incidentId());
        assertEquals(Optional.empty(), dedup.reopen(key, null, "inc-d", stored, T0.plusSeconds(5)),
                "an open claim is not reopened");
    }

    @Test
    void fiftyConcurrentClaimsOfOneKeyMakeOneWinnerAndFortyNineDistinctDuplicateCounts() throws Exception {
        String key = uniqueKey();
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Claim>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String candidate = "inc-" + i;
                Instant at = T0.plusMillis(i);
                byte[] stored = AlertCodec.encode(alert(Severity.HIGH, key, at));
                Callable<Claim> call = () -> {
                    start.await();
                    return dedup.claim(key, candidate, stored, at);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Claim> claims = new ArrayList<>();
            for (Future<Claim> f : futures) {
                claims.add(f.get(60, TimeUnit.SECONDS));
            }

            List<Claim.Won> won = claims.stream().filter(Claim.Won.class::isInstance).map(Claim.Won.class::cast)
                    .toList();
            List<Claim.Held> held = claims.stream().filter(Claim.Held.class::isInstance).map(Claim.Held.class::cast)
                    .toList();
            assertEquals(1, won.size(), "exactly one caller wins the key");
            assertEquals(49, held.size());
            String winner = won.get(0).incidentId();
            assertTrue(held.stream().allMatch(h -> winner.equals(h.incidentId())), "every duplicate names the winner");
            Set<Long> counts = held.stream().map(Claim.Held::duplicateCount)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(LongStream.rangeClosed(1, 49).boxed().collect(Collectors.toSet()), counts,
                    "duplicate counts are exactly 1..49, each once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claimCostsOneRequestNewOrDuplicateAndOneForAReopen() {
        String key = uniqueKey();
        byte[] stored = AlertCodec.encode(alert(Severity.MEDIUM, key, T0));

        var fresh = DynamoRequestMeter.measure(() -> dedup.claim(key, "inc-1", stored, T0));
        assertInstanceOf(Claim.Won.class, fresh.result());
        assertEquals(Map.of("UpdateItem", 1), fresh.requests(), "a new claim is one UpdateItem");

        var duplicate = DynamoRequestMeter.measure(() -> dedup.claim(key, "inc-2", stored, T0.plusSeconds(1)));
        assertInstanceOf(Claim.Held.class, duplicate.result());
        assertEquals(1, duplicate.total(), "a duplicate claim is one request");
        assertEquals(Map.of("UpdateItem", 1), duplicate.requests());

        var stillHeld = DynamoRequestMeter.measure(() -> dedup.claim(key, "inc-3", stored, T0.plus(WINDOW)));
        assertInstanceOf(Claim.Held.class, stillHeld.result(), "no window ends a claim: only its incident's end does");

        var close = DynamoRequestMeter.measure(() -> dedup.close(key, "inc-1"));
        assertEquals(Optional.of(new DedupStore.ClaimCount("inc-1", 2, T0.plus(WINDOW))), close.result());
        assertEquals(Map.of("UpdateItem", 1), close.requests(), "closing the claim after a resolve is one UpdateItem");
        var refused = DynamoRequestMeter.measure(() -> dedup.claim(key, "inc-4", stored, T0.plus(WINDOW)));
        assertEquals(new Claim.Refused(), refused.result());
        assertEquals(Map.of("UpdateItem", 1), refused.requests(), "a closed claim refuses in the same one request");

        var reopen = DynamoRequestMeter.measure(() -> dedup.reopen(key, null, "inc-4", stored, T0.plus(WINDOW)));
        assertEquals(Optional.of(new DedupStore.Reopened("inc-4", new DedupStore.ClaimCount("inc-1", 2,
                T0.plus(WINDOW)))), reopen.result());
        assertEquals(Map.of("PutItem", 1), reopen.requests(), "reopening after a resolve is one conditional PutItem");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // IncidentStore

    @Test
    void recordTriggeredThenFindReturnsTheSameFields() {
        String id = uniqueId();
        Alert alert = alert(Severity.CRITICAL, uniqueKey(), T0);
        Delivery delivery = new Delivery(DeliveryState.PENDING, 3, 503, List.of("HTTP 503", "read timed out"),
                T0.plusSeconds(60), true);

        assertTrue(writes.recordTriggered(id, alert, AlertCodec.encode(alert), Outboxes.trigger(delivery, T0), T0));

        Incident found = incidents.findAsStored(id).orElseThrow();
        Incident expected = incident(id, alert, IncidentStatus.TRIGGERED, T0, 0, T0, delivery, 1,
                T0.plus(settings.escalationTimeout()), null, null, found.timeline());
        assertEquals(expected, found);
        assertEquals(List.of(TimelineEvent.Type.TRIGGERED, TimelineEvent.Type.DELIVERY_PENDING),
                found.timeline().stream().map(TimelineEvent::type).toList());

        String other = uniqueId();
        Alert high = alert(Severity.HIGH, uniqueKey(), T0);
        Delivery delivered = new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false);
        assertTrue(writes.recordTriggered(other, high, AlertCodec.encode(high), Outboxes.trigger(delivered, T0), T0));
        Incident foundHigh = incidents.findAsStored(other).orElseThrow();
        assertEquals(incident(other, high, IncidentStatus.TRIGGERED, T0, 0, T0, delivered, 1, null,
                null, null, foundHigh.timeline()), foundHigh, "only critical incidents get an escalation time");

        assertTrue(incidents.findAsStored(uniqueId()).isEmpty(), "unknown ids are not found");
    }

    @Test
    void recordTriggeredTwiceReturnsFalseAndLeavesTheItemAlone() {
        String id = uniqueId();
        Alert alert = alert(Severity.HIGH, uniqueKey(), T0);
        Delivery delivered = new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false);
        assertTrue(writes.recordTriggered(id, alert, AlertCodec.encode(alert), Outboxes.trigger(delivered, T0), T0));
        Map<String, AttributeValue> before = rawItem(IncidentStore.partitionKey(id), IncidentStore.SK_META);

        Instant later = T0.plusSeconds(30);
        Alert retry = alert(Severity.CRITICAL, uniqueKey(), later);
        Delivery failed = new Delivery(DeliveryState.FAILED, 1, 400, List.of("HTTP 400"), null, false);
        assertFalse(writes.recordTriggered(id, retry, AlertCodec.encode(retry), Outboxes.trigger(failed, later), later));

        assertEquals(before, rawItem(IncidentStore.partitionKey(id), IncidentStore.SK_META),
                "the second recordTriggered changed nothing");
    }

    @Test
    void aBareItemOfThePreviousVersionIsReplacedByRecordTriggeredAndItsCountFoldedBackFromTheClaim() {
        String id = uniqueId();
        Instant seen = T0.plusSeconds(5);
        // the previous version counted a duplicate that came before its incident on a bare item
        client().putItem(b -> b.tableName(tableName()).item(Map.of("pk", AttributeValue.fromS(
                IncidentStore.partitionKey(id)), "sk", AttributeValue.fromS(IncidentStore.SK_META),
                "duplicate_count", AttributeValue.fromN("3"), "last_seen_ms",
                AttributeValue.fromN(Long.toString(seen.toEpochMilli())))));
        assertTrue(incidents.findAsStored(id).isEmpty(), "find does not return an incident that is not recorded yet");

        Alert alert = alert(Severity.MEDIUM, uniqueKey(), T0);
        Delivery delivered = new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false);
        assertTrue(writes.recordTriggered(id, alert, AlertCodec.encode(alert), Outboxes.trigger(delivered, T0), T0));
        assertEquals(0, incidents.findAsStored(id).orElseThrow().duplicateCount(), "one PutItem: the bare item is replaced");

        // its claim counted those duplicates (hits - 1 = 3): the fold brings them back, exactly
        writes.foldDuplicates(id, new DedupStore.ClaimCount(id, 3, seen));
        Incident found = incidents.findAsStored(id).orElseThrow();
        assertEquals(3, found.duplicateCount());
        assertEquals(seen, found.lastSeenAt(), "and the last-seen time of that duplicate");
        assertEquals(incident(id, alert, IncidentStatus.TRIGGERED, T0, 3, seen, delivered, 1, null, null, null,
                found.timeline()), found);
        writes.foldDuplicates(id, new DedupStore.ClaimCount(id, 3, seen));
        assertEquals(3, incidents.findAsStored(id).orElseThrow().duplicateCount(), "folding again changes nothing");
    }

    @Test
    void duplicateCountOnlyGoesUp() {
        String id = uniqueId();
        Alert alert = alert(Severity.LOW, uniqueKey(), T0);
        assertTrue(writes.recordTriggered(id, alert, AlertCodec.encode(alert), Outboxes.trigger(Delivery.disabled(), T0), T0));

        writes.foldDuplicates(id, new DedupStore.ClaimCount(id, 5, T0.plusSeconds(50)));
        writes.foldDuplicates(id, new DedupStore.ClaimCount(id, 2, T0.plusSeconds(60)));
        writes.foldDuplicates(id, new DedupStore.ClaimCount("another-incident", 9, T0.plusSeconds(70)));

        Incident found = incidents.findAsStored(id).orElseThrow();
        assertEquals(5, found.duplicateCount(), "a lower count, or another incident's, changes nothing");
        assertEquals(T0.plusSeconds(50), found.lastSeenAt(), "last-seen unchanged by them");
    }

    @Test
    void recordSuppressedIsFoundAsSuppressedWithItsReason() {
        String id = uniqueId();
        Alert alert = alert(Severity.CRITICAL, uniqueKey(), T0);
        writes.recordSuppressed(id, alert, AlertCodec.encode(alert), SuppressionReason.MAINTENANCE, "window-7", T0);

        Incident found = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.SUPPRESSED, found.status());
        assertEquals(SuppressionReason.MAINTENANCE, found.suppressedReason());
        assertEquals(incident(id, alert, IncidentStatus.SUPPRESSED, T0, 0, T0, null, 0, null,
                SuppressionReason.MAINTENANCE, "window-7", found.timeline()), found);
        assertEquals(List.of(TimelineEvent.Type.SUPPRESSED), found.timeline().stream().map(TimelineEvent::type).toList());

        Map<String, AttributeValue> item = rawItem(IncidentStore.partitionKey(id), IncidentStore.SK_META);
        assertFalse(item.containsKey(TableSchema.GSI_OPEN_PK), "a suppressed record is never open");
        assertEquals(io.tocsin.store.IndexEntry.closed(T0, id).partition(), Attr.string(item, TableSchema.GSI_ESCALATION_PK),
                "never due for escalation: in the escalation-due index only among the day's closures (metrics rollups)");
        assertEquals(io.tocsin.store.IndexEntry.closed(T0, id).sortKey(), Attr.string(item, TableSchema.GSI_ESCALATION_SK));
        assertFalse(item.containsKey(TableSchema.GSI_DELIVERY_PK), "nor due for delivery");
    }

    @Test
    void alertWithSixHundredKilobytesOfIncompressibleMetadataIsStoredWithoutItsMetadata() {
        String key = uniqueKey();
        byte[] noise = new byte[450 * 1024];
        new Random(42).nextBytes(noise);
        ObjectNode metadata = JSON.createObjectNode().put("blob", Base64.getEncoder().encodeToString(noise));
        assertTrue(metadata.get("blob").asText().length() >= 600 * 1024, "~600 KB of base64");
        Alert huge = new Alert(Severity.CRITICAL, "Huge metadata", "keeps its description", "big-source", metadata,
                key, false, null, T0);

        byte[] stored = AlertCodec.encode(huge);
        assertTrue(stored.length <= AlertCodec.MAX_STORED_ALERT_BYTES, "encoded to " + stored.length + " bytes");
        Alert decoded = AlertCodec.decode(stored);
        assertEquals(Set.of("_tocsin_note"), fieldNames(decoded.metadata()), "metadata replaced by a note");
        assertTrue(decoded.metadata().get("_tocsin_note").asText().startsWith("metadata removed"));
        assertEquals(new Alert(huge.severity(), huge.title(), huge.description(), huge.source(), decoded.metadata(),
                huge.dedupKey(), huge.dedupKeyDerived(), huge.rule(), huge.receivedAt()), decoded,
                "everything but the metadata is kept");

        assertEquals(new Claim.Won("inc-huge"), dedup.claim(key, "inc-huge", stored, T0));
        Claim.Held held = assertInstanceOf(Claim.Held.class,
                dedup.claim(key, "inc-other", stored, T0.plusSeconds(1)));
        assertArrayEquals(stored, held.alert());
        assertEquals(decoded, AlertCodec.decode(held.alert()));

        String id = uniqueId();
        assertTrue(writes.recordTriggered(id, huge, stored, Outboxes.trigger(Delivery.disabled(), T0), T0));
        Incident found = incidents.findAsStored(id).orElseThrow();
        assertEquals(decoded, found.alert());

        String suppressed = uniqueId();
        writes.recordSuppressed(suppressed, huge, stored, SuppressionReason.MAINTENANCE, null, T0);
        assertEquals(decoded, incidents.findAsStored(suppressed).orElseThrow().alert());
    }

    // ---------------------------------------------------------------------------------------------------------------

    protected Map<String, AttributeValue> rawItem(String pk, String sk) {
        var response = client().getItem(GetItemRequest.builder()
                .tableName(tableName())
                .key(Attr.key(pk, sk))
                .consistentRead(true)
                .build());
        assertNotNull(response);
        return response.hasItem() ? response.item() : Map.of();
    }

    private static Set<String> fieldNames(ObjectNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    protected static String uniqueKey() {
        return "key-" + UUID.randomUUID();
    }

    protected static String uniqueId() {
        return "inc-" + UUID.randomUUID();
    }

    protected static Alert alert(Severity severity, String dedupKey, Instant receivedAt) {
        ObjectNode metadata = JSON.createObjectNode().put("host", "db-1").put("attempt", 3).put("ok", false);
        metadata.putObject("labels").put("team", "payments");
        return new Alert(severity, "Database connection failure " + dedupKey, "The service cannot connect.",
                "contract-test", metadata, dedupKey, false, "database_connection_failure", receivedAt);
    }

    /** The incident a store should return: no acknowledgment or resolution yet, the trigger's delivery if any. */
    static Incident incident(String id, Alert alert, IncidentStatus status, Instant created, long duplicates,
            Instant lastSeen, Delivery trigger, int level, Instant nextEscalation, SuppressionReason reason,
            String window, List<TimelineEvent> timeline) {
        List<io.tocsin.delivery.OutboxEntry> outbox = trigger == null ? List.of() : Outboxes.trigger(trigger, created);
        return new Incident(id, alert, status, created, duplicates, lastSeen, outbox, level, nextEscalation, reason,
                window, null, null, null, null, null, timeline, 1,
                status == IncidentStatus.SUPPRESSED ? null : created.plus(WINDOW));
    }
}
