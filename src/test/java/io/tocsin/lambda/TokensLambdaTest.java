package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.TableItems;
import io.tocsin.token.TokenStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The tokens admin function through the real Funqy Lambda path: issue, list, revoke, bad input, what is stored. */
@QuarkusTest
@TestProfile(Exports.Tokens.class)
class TokensLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    private static ObjectNode create(String name, String... routes) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", name);
        List.of(routes).forEach(input.putArray("routes")::add);
        return input;
    }

    private Map<String, AttributeValue> storedItem(String id) {
        return dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(TokenStore.PARTITION, "TOKEN#" + id)).consistentRead(true).build()).item();
    }

    @Test
    void issuesListsAndRevokesAndTheSecretIsShownOnce() throws Exception {
        ObjectNode input = create("grafana-prod", "grafana", "alertmanager").put("source_prefix", "grafana:")
                .put("created_by", "alice");
        JsonNode created = LambdaCalls.invoke(HttpEvents.post("/tokens", Map.of(), input.toString()));
        assertEquals(201, HttpEvents.status(created), created.toString());
        JsonNode token = HttpEvents.body(created);
        String secret = token.path("token").asText();
        String id = token.path("id").asText();
        assertTrue(secret.matches("tcn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), secret);
        assertTrue(secret.startsWith("tcn_" + id + "_"));
        assertEquals(List.of("alertmanager", "grafana"), List.of(token.path("routes").get(0).asText(),
                token.path("routes").get(1).asText()));
        assertEquals("grafana:", token.path("source_prefix").asText());
        assertEquals("active", token.path("status").asText());
        assertEquals("2026-11-26T12:00:00Z", token.path("created_at").asText());
        assertTrue(token.path("last_used_at").isNull());

        // the stored item: no secret, not even an unsalted hash of it
        Map<String, AttributeValue> item = storedItem(id);
        String secretPart = secret.substring(secret.lastIndexOf('_') + 1);
        byte[] plainSha = MessageDigest.getInstance("SHA-256").digest(secretPart.getBytes(StandardCharsets.US_ASCII));
        for (var attribute : item.entrySet()) {
            String text = attribute.getValue().toString();
            assertFalse(text.contains(secretPart) || text.contains(secret), attribute.getKey() + " holds the secret");
            if (attribute.getValue().b() != null) {
                byte[] bytes = attribute.getValue().b().asByteArray();
                assertFalse(java.util.Arrays.equals(plainSha, bytes), attribute.getKey() + " is a plain SHA-256");
                assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(secretPart));
            }
        }
        assertEquals(32, item.get("secret_hash").b().asByteArray().length, "an HMAC-SHA256");
        assertEquals(16, item.get("salt").b().asByteArray().length);

        // a second token has its own salt, so equal secrets could never be spotted
        JsonNode second = LambdaCalls.invoke(create("alertmanager-eu", "alertmanager"));
        assertFalse(java.util.Arrays.equals(item.get("salt").b().asByteArray(),
                storedItem(second.path("id").asText()).get("salt").b().asByteArray()));

        JsonNode list = HttpEvents.body(LambdaCalls.invoke(HttpEvents.request("GET", "/tokens", Map.of(), Map.of(),
                null)));
        assertTrue(list.path("count").asInt() >= 2, list.toString());
        assertFalse(list.toString().contains("tcn_"), "the list never shows a secret: " + list);
        assertFalse(list.toString().contains("salt") || list.toString().contains("hash"), list.toString());
        JsonNode listed = find(list, id);
        assertEquals("grafana-prod", listed.path("name").asText());
        assertEquals("alice", listed.path("created_by").asText());

        JsonNode revoked = LambdaCalls.invoke(HttpEvents.request("DELETE", "/tokens/" + id, Map.of("id", id),
                Map.of(), null));
        assertEquals(200, HttpEvents.status(revoked), revoked.toString());
        assertTrue(HttpEvents.body(revoked).path("revoked").asBoolean());
        assertEquals("revoked", HttpEvents.body(revoked).path("status").asText());
        Map<String, AttributeValue> after = storedItem(id);
        assertNull(after.get("secret_hash"), "a revoked token keeps no hash");
        assertNull(after.get("salt"));
        assertNotNull(after.get("expires_at"), "a revoked token expires from the table");

        JsonNode again = LambdaCalls.invoke(JSON.createObjectNode().put("action", "revoke").put("id", id)
                .put("revoked_by", "bob"));
        assertEquals(false, again.path("revoked").asBoolean());
        assertTrue(again.path("already_revoked").asBoolean(), again.toString());
        assertEquals("revoked", find(LambdaCalls.invoke(JSON.createObjectNode().put("action", "list")), id)
                .path("status").asText());

        JsonNode unknown = LambdaCalls.invoke(JSON.createObjectNode().put("action", "revoke")
                .put("id", "0000000000000000"));
        assertEquals("not_found", unknown.path("error").asText());
        assertEquals("id", unknown.path("problems").get(0).path("field").asText());
    }

    /** Issue 23: who made and revoked a token, as AWS authenticated them, and an audit record of each change. */
    @Test
    void createAndRevokeRecordTheCallerAndAreAudited() {
        JsonNode created = HttpEvents.body(LambdaCalls.invoke(HttpEvents.post("/tokens", Map.of(),
                create("audited", "ingest").put("created_by", "alice").toString())));
        String id = created.path("id").asText();
        String secret = created.path("token").asText();
        assertEquals("alice", created.path("created_by").asText());
        assertEquals(HttpEvents.IAM_PRINCIPAL, created.path("created_actor").asText(), created.toString());
        JsonNode revoked = LambdaCalls.invoke(JSON.createObjectNode().put("action", "revoke").put("id", id)
                .put("revoked_by", "bob"));
        assertEquals("bob", revoked.path("revoked_by").asText());
        assertEquals(io.tocsin.api.Actor.DIRECT_INVOKE, revoked.path("revoked_actor").asText(), revoked.toString());

        var records = io.tocsin.support.AuditRecords.of(dynamo, settings.tableName(), id);
        assertEquals(List.of("create", "revoke"), records.stream().map(r -> Attr.string(r, "action")).toList());
        var create = records.get(0);
        assertEquals("token", Attr.string(create, "kind"));
        assertEquals(HttpEvents.IAM_PRINCIPAL, Attr.string(create, "actor"));
        assertEquals("alice", Attr.string(create, "typed_name"));
        assertEquals("applied", Attr.string(create, "outcome"));
        assertTrue(Attr.string(create, "after").contains("\"name\":\"audited\""), create.toString());
        assertNotNull(create.get("expires_at"), "audit records expire (TTL)");
        records.forEach(r -> assertFalse(r.toString().contains(secret.substring(secret.lastIndexOf('_') + 1)),
                "an audit record never holds the secret"));
        var revoke = records.get(1);
        assertEquals(io.tocsin.api.Actor.DIRECT_INVOKE, Attr.string(revoke, "actor"));
        assertEquals("applied", Attr.string(revoke, "outcome"));
        assertTrue(Attr.string(revoke, "after").contains("\"status\":\"revoked\""), revoke.toString());

        // a revoke that changes nothing is recorded as such
        LambdaCalls.invoke(JSON.createObjectNode().put("action", "revoke").put("id", id));
        var all = io.tocsin.support.AuditRecords.of(dynamo, settings.tableName(), id);
        assertEquals("not_applied", Attr.string(all.get(all.size() - 1), "outcome"));
    }

    @Test
    void badInputNamesEveryFieldAndStoresNothing() {
        long before = TableItems.count(dynamo, settings.tableName());
        ObjectNode bad = JSON.createObjectNode().put("action", "create").put("source_prefix", 7);
        bad.putArray("routes").add("grafana").add("datadog");
        JsonNode answer = LambdaCalls.invoke(bad);
        assertEquals("invalid_request", answer.path("error").asText());
        Map<String, String> problems = new HashMap<>();
        answer.path("problems").forEach(p -> problems.put(p.path("field").asText(), p.path("message").asText()));
        assertEquals(java.util.Set.of("name", "routes[1]", "source_prefix"), problems.keySet(), answer.toString());
        assertTrue(problems.get("routes[1]").contains("alertmanager, grafana, ingest"));

        JsonNode noRoutes = LambdaCalls.invoke(create("x"));
        assertEquals("routes", noRoutes.path("problems").get(0).path("field").asText());
        JsonNode noAction = LambdaCalls.invoke(JSON.createObjectNode().put("name", "x"));
        assertEquals("action", noAction.path("problems").get(0).path("field").asText());
        assertEquals(before, TableItems.count(dynamo, settings.tableName()), "nothing stored for rejected input");
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode token : list.path("tokens")) {
            if (id.equals(token.path("id").asText())) {
                return token;
            }
        }
        throw new AssertionError("token " + id + " not listed: " + list);
    }
}
