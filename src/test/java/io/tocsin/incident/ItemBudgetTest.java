package io.tocsin.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.AlertCodec;
import io.tocsin.api.ApiGateway;
import io.tocsin.config.Settings;
import io.tocsin.cost.ItemSize;
import io.tocsin.sweep.EscalationSweep;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The incident item's worst case (ItemBudget): the largest alert ingest accepts, repeats forwarded for hours,
 * escalations, an acknowledgment and a resolution with the longest notes, all on one item, which stays under
 * DynamoDB's 400 KB and keeps working.
 */
@QuarkusTest
class ItemBudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** DynamoDB's limit: 400 KB, names and values (developer guide, quotas, "Item size"). */
    private static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    EscalationSweep escalation;
    @Inject
    LifecycleFunctions functions;
    @Inject
    MutableClock clock;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    io.tocsin.redelivery.Redelivery redelivery;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
    }

    @Test
    void theStatedWorstCaseIsUnderDynamoDbsLimit() {
        assertTrue(ItemBudget.WORST_CASE_BYTES < DYNAMODB_MAX_ITEM_BYTES, ItemBudget.WORST_CASE_BYTES + " bytes");
        assertEquals(ItemBudget.TIMELINE_KEEP_FIRST + ItemBudget.TIMELINE_KEEP_LAST + 4 + 4,
                ItemBudget.TIMELINE_COMPACT_ABOVE + 4, "96 timeline events at most: 92 plus one write's 4");
    }

    /** An incompressible description (≈ 0.75 of its size gzip'd, like the 469 KB ≈ 355 KB) of {@code n} bytes. */
    private static String noise(int n, long seed) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/ ";
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static int gzipped(String text) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.size();
    }

    @Test
    void theWorstCaseIncidentEscalatesIsAcknowledgedAndResolvesWithTheLongestNotes() throws Exception {
        clock.set(Instant.parse("2027-10-01T10:00:00Z"));
        String description = noise(469 * 1024, 11);
        assertTrue(gzipped(description) > 340 * 1024, "the description must not compress below the old limit");
        String key = "budget/" + UUID.randomUUID();
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", "€".repeat(1024))
                .put("source", "s".repeat(200) + UUID.randomUUID()).put("description", description)
                .put("dedup_key", key + "k".repeat(200));
        alert.putObject("metadata").put("region", "eu-west-1").put("note", noise(20_000, 12));
        long size = ApiGateway.sizeOf(alert);
        assertTrue(size <= 512 * 1024, "ingest accepts it: " + size);
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, size)).incidentId();

        // hours of repeats: each forwarded to PagerDuty (an outbox entry) with its timeline events
        for (int i = 0; i < 50; i++) {
            clock.advance(settings.dedupWindow().plusSeconds(1));
            assertInstanceOf(IngestResult.Suppressed.class, pipeline.ingest(alert, size));
        }
        // escalation on the big item: level 2, then 3
        assertTrue(escalation.run(clock.instant()).contains(id), "escalated to level 2");
        clock.advance(Duration.ofMinutes(1));
        escalation.run(clock.instant());
        Incident escalated = incidents.findAsStored(id).orElseThrow();
        assertEquals(3, escalated.escalationLevel());

        String actor = "€".repeat(IncidentLifecycle.MAX_ACTOR_CHARS);
        assertInstanceOf(Transition.Applied.class, lifecycle.acknowledge(id, actor));
        String notes = "€".repeat(IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS);
        JsonNode resolved = functions.resolve(JSON.createObjectNode().put("incident_id", id)
                .put("resolution_notes", notes).put("resolved_by", actor));
        assertTrue(resolved.path("resolved").asBoolean(), resolved.path("error").asText() + resolved.path("message"));

        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(IncidentItems.key(id)).consistentRead(true).build()).item();
        long itemBytes = ItemSize.of(item);
        System.out.println("ITEM-BUDGET worst case: " + itemBytes + " bytes stored (budget "
                + ItemBudget.WORST_CASE_BYTES + ", DynamoDB limit " + DYNAMODB_MAX_ITEM_BYTES + "); alert "
                + item.get("alert").b().asByteArray().length + " bytes, timeline " + item.get("timeline").l().size()
                + " events (" + item.get("timeline_dropped").n() + " dropped), outbox " + item.get("outbox").l().size()
                + " entries");
        assertTrue(itemBytes <= ItemBudget.WORST_CASE_BYTES, itemBytes + " bytes");
        assertTrue(item.get("alert").b().asByteArray().length <= AlertCodec.MAX_STORED_ALERT_BYTES);

        // the notes are stored once: in resolution_notes, not again in the timeline; the timeline still shows them
        assertEquals(notes, item.get("resolution_notes").s());
        Map<String, AttributeValue> stored = item.get("timeline").l().stream().map(AttributeValue::m)
                .filter(e -> e.get("type").s().equals("resolved")).findFirst().orElseThrow();
        assertFalse(stored.containsKey("detail"));
        Incident incident = incidents.findAsStored(id).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, incident.status());
        TimelineEvent resolution = incident.timeline().stream().filter(e -> e.type() == TimelineEvent.Type.RESOLVED)
                .findFirst().orElseThrow();
        assertEquals(notes, resolution.detail());

        // bounded: the first events and the latest kept, the dropped counted; the shortened alert says so
        assertTrue(incident.timeline().size() <= ItemBudget.TIMELINE_COMPACT_ABOVE + 4, "" + incident.timeline().size());
        assertTrue(incident.timelineDropped() > 0);
        assertEquals(TimelineEvent.Type.TRIGGERED, incident.timeline().get(0).type());
        assertTrue(incident.outbox().size() <= ItemBudget.OUTBOX_COMPACT_ABOVE + 4, "" + incident.outbox().size());
        assertTrue(incident.outboxDropped() > 0);
        assertTrue(incident.alert().description().endsWith("[description shortened by Tocsin to fit storage]"));
        JsonNode json = IncidentJson.of(incident);
        assertEquals(incident.timelineDropped(), json.path("timeline_dropped").asLong());
        assertEquals(incident.outboxDropped() + 1, json.path("outbox").get(0).path("sequence").asLong());
        // the trigger, the repeats and the resolve reached PagerDuty, the latter last
        List<JsonNode> events = PagerDutyFake.eventsFor(id);
        assertEquals("resolve", events.get(events.size() - 1).path("event_action").asText());
        assertEquals(1 + 50, events.stream().filter(e -> e.path("event_action").asText().equals("trigger")).count());
        assertNull(incident.nextEscalationAt());
    }

    @Test
    void aRepeatIsNotForwardedWhileTheIncidentsTriggerIsStillPending() {
        clock.set(Instant.parse("2027-10-05T10:00:00Z"));
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(PagerDutyFake.ENQUEUE))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "queue stuck")
                .put("source", "orders-" + UUID.randomUUID()).put("dedup_key", "pending/" + UUID.randomUUID());
        String id = assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 200)).incidentId();
        Incident pending = incidents.findAsStored(id).orElseThrow();
        assertEquals(io.tocsin.delivery.DeliveryState.PENDING, pending.delivery().state());
        for (int i = 0; i < 3; i++) {
            clock.advance(settings.dedupWindow().plusSeconds(1));
            assertInstanceOf(IngestResult.Suppressed.class, pipeline.ingest(alert, 200));
        }
        assertEquals(pending.outbox().size(), incidents.findAsStored(id).orElseThrow().outbox().size(),
                "no repeat forwarded while the trigger is pending");

        PagerDutyFake.reset();
        clock.advance(Duration.ofHours(1));
        redelivery.run(clock.instant());
        assertEquals(io.tocsin.delivery.DeliveryState.DELIVERED, incidents.findAsStored(id).orElseThrow().delivery().state());
        assertInstanceOf(IngestResult.Suppressed.class, pipeline.ingest(alert, 200));
        Incident forwarded = incidents.findAsStored(id).orElseThrow();
        assertEquals(pending.outbox().size() + 1, forwarded.outbox().size(), "the first repeat after it is forwarded");
        assertEquals(2, PagerDutyFake.eventsFor(id).size(), "the redelivered trigger and the forwarded repeat");
    }
}
