package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/** Through the real Funqy Lambda path. */
@QuarkusTest
@TestProfile(Exports.Maintenance.class)
class MaintenanceLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode sample(String path) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/" + path)));
    }

    @Test
    void createsAWindowAndRejectsABadOne() throws Exception {
        ObjectNode window = sample("maintenance/create.json");
        window.put("start", "2030-01-01T00:00:00Z").put("end", "2030-01-01T02:00:00Z");
        window.putArray("sources").add("lambda-" + UUID.randomUUID());
        JsonNode created = LambdaCalls.invoke(HttpEvents.post("/maintenance", java.util.Map.of(), window.toString()));
        assertEquals(201, HttpEvents.status(created), created.toString());
        assertEquals("2030-01-01T02:00:00Z", HttpEvents.body(created).path("end").asText());

        window.remove("end");
        JsonNode bad = LambdaCalls.invoke(window);
        assertEquals("end", bad.path("problems").get(0).path("field").asText());
    }

    @jakarta.inject.Inject
    io.tocsin.support.RecordedMetrics metrics;
    @jakarta.inject.Inject
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;
    @jakarta.inject.Inject
    io.tocsin.config.Settings settings;

    private JsonNode create(String start, String end, String source) {
        ObjectNode window = JSON.createObjectNode().put("start", start).put("end", end).put("reason", "planned")
                .put("created_by", "alice");
        if (source != null) {
            window.putArray("sources").add(source);
        }
        JsonNode created = LambdaCalls.invoke(HttpEvents.post("/maintenance", java.util.Map.of(), window.toString()));
        assertEquals(201, HttpEvents.status(created), created.toString());
        return HttpEvents.body(created);
    }

    /**
     * Issue 23: a window for every alert longer than an hour raises the ops signal (UnscopedMaintenance, alarmed in
     * template.yaml); a scoped one or a short one does not. Every create and delete is audited with its caller.
     */
    @Test
    void anUnscopedWindowOverAnHourRaisesTheOpsSignalAndEveryChangeIsAudited() {
        metrics.clear();
        create("2031-01-01T00:00:00Z", "2031-01-01T01:00:00Z", null); // an hour exactly: a planned restart
        create("2031-01-01T00:00:00Z", "2031-01-01T05:00:00Z", "checkout-api"); // scoped
        assertEquals(0, metrics.of("UnscopedMaintenance").size(), metrics.lines().toString());
        JsonNode wide = create("2031-01-01T00:00:00Z", "2031-01-01T01:00:01Z", null);
        assertEquals(1, metrics.of("UnscopedMaintenance").size(), metrics.lines().toString());
        assertEquals(3, metrics.of("AdminChanges").size());
        assertEquals("alice", wide.path("created_by").asText());
        assertEquals(HttpEvents.IAM_PRINCIPAL, wide.path("created_actor").asText(), wide.toString());

        String id = wide.path("id").asText();
        JsonNode deleted = LambdaCalls.invoke(JSON.createObjectNode().put("action", "delete").put("id", id));
        assertEquals(true, deleted.path("deleted").asBoolean(), deleted.toString());
        var records = io.tocsin.support.AuditRecords.of(dynamo, settings.tableName(), id);
        assertEquals(java.util.List.of("create", "delete"), records.stream()
                .map(r -> io.tocsin.store.Attr.string(r, "action")).toList());
        var created = records.get(0);
        assertEquals("maintenance_window", io.tocsin.store.Attr.string(created, "kind"));
        assertEquals(HttpEvents.IAM_PRINCIPAL, io.tocsin.store.Attr.string(created, "actor"));
        assertEquals("alice", io.tocsin.store.Attr.string(created, "typed_name"));
        assertEquals("applied", io.tocsin.store.Attr.string(created, "outcome"));
        var delete = records.get(1);
        assertEquals(io.tocsin.api.Actor.DIRECT_INVOKE, io.tocsin.store.Attr.string(delete, "actor"));
        assertEquals("applied", io.tocsin.store.Attr.string(delete, "outcome"));
        assertEquals(true, io.tocsin.store.Attr.string(delete, "before").contains(id), delete.toString());
    }
}
