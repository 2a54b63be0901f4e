package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.config.Settings;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.TableItems;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokensFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * ingest on its token route {@code POST /hooks/ingest} (the default test profile exports ingest), through the real
 * Funqy Lambda path: the token's source prefix confines the sources a caller may use.
 */
@QuarkusTest
class IngestTokenRouteLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    private static JsonNode hook(String token, String source) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "Queue backlog")
                .put("source", source).put("dedup_key", "q-" + UUID.randomUUID());
        return LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.INGEST.path(), Map.of(),
                token == null ? Map.of() : Map.of("authorization", "Bearer " + token), alert.toString()));
    }

    @Test
    void aTokenRaisesAlertsUnderItsSourcePrefixOnly() {
        PagerDutyFake.reset();
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", "datadog")
                .put("source_prefix", "datadog:");
        input.putArray("routes").add("ingest");
        String token = tokens.tokens(input).path("token").asText();

        JsonNode created = hook(token, "datadog:orders-queue");
        assertEquals(201, HttpEvents.status(created), created.toString());
        assertEquals("created", HttpEvents.body(created).path("status").asText());

        ObjectNode other = JSON.createObjectNode().put("action", "create").put("name", "grafana");
        other.putArray("routes").add("grafana");
        String grafanaOnly = tokens.tokens(other).path("token").asText();
        long before = TableItems.count(dynamo, settings.tableName());
        JsonNode outside = hook(token, "checkout-api");
        assertEquals(403, HttpEvents.status(outside), outside.toString());
        JsonNode problem = HttpEvents.body(outside).path("problems").get(0);
        assertEquals("source", problem.path("field").asText());
        assertTrue(problem.path("message").asText().contains("datadog:"), problem.toString());
        assertEquals(401, HttpEvents.status(hook(null, "datadog:orders-queue")));

        assertEquals(403, HttpEvents.status(hook(grafanaOnly, "datadog:orders-queue")));
        assertEquals(before, TableItems.count(dynamo, settings.tableName()), "nothing stored for refused calls");
    }

    private String token(String name, String prefix) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", name)
                .put("source_prefix", prefix);
        input.putArray("routes").add("ingest");
        return tokens.tokens(input).path("token").asText();
    }

    private static JsonNode raise(String token, String source, String severity, String dedupKey) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "Queue backlog")
                .put("source", source);
        if (dedupKey != null) {
            alert.put("dedup_key", dedupKey);
        }
        JsonNode answer = LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.INGEST.path(), Map.of(),
                token == null ? Map.of() : Map.of("authorization", "Bearer " + token), alert.toString()));
        return HttpEvents.body(answer);
    }

    /**
     * docs/deduplication.md, "Key spaces": team A's token sending team B's dedup_key opens its own incident (it does
     * not become B's duplicate, nor B's critical alert A's), and so does an IAM caller's alert with the key.
     */
    @Test
    void aTokensDedupKeyNeitherPreemptsNorJoinsAnotherTeamsIncident() {
        PagerDutyFake.reset();
        String teamA = token("team-a", "datadog:team-a");
        String teamB = token("team-b", "datadog:team-b");
        String key = "orders-" + UUID.randomUUID();
        JsonNode a = raise(teamA, "datadog:team-a-queue", "low", key);
        JsonNode b = raise(teamB, "datadog:team-b-orders", "critical", key);
        assertEquals("created", a.path("status").asText(), a.toString());
        assertEquals("created", b.path("status").asText(), "not a duplicate of team A's incident: " + b);
        assertEquals("critical", PagerDutyFake.eventsFor(b.path("incident_id").asText()).get(0)
                .at("/payload/severity").asText());
        JsonNode bAgain = raise(teamB, "datadog:team-b-orders", "critical", key);
        assertEquals(b.path("incident_id").asText(), bAgain.path("incident_id").asText(), bAgain.toString());
        JsonNode aAgain = raise(teamA, "datadog:team-a-queue", "low", key);
        assertEquals(a.path("incident_id").asText(), aAgain.path("incident_id").asText(), aAgain.toString());
        // the derived key of a source and title is per space too (a token can only send its own sources anyway)
        JsonNode derived = raise(teamA, "datadog:team-a-queue", "high", null);
        JsonNode iam = LambdaCalls.invoke(JSON.createObjectNode().put("severity", "high").put("title", "Queue backlog")
                .put("source", "datadog:team-a-queue"));
        assertEquals("created", derived.path("status").asText(), derived.toString());
        assertEquals("created", iam.path("status").asText(), "the token's alert lives in its own space: " + iam);
    }
}
