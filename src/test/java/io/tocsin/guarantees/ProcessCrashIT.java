package io.tocsin.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.LambdaProcess;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * A real process crash: the packaged function ({@code target/function.zip}) in its own JVM, killed with SIGKILL while
 * PagerDuty (WireMock, holding the request) has the trigger, then the acknowledge, in flight. A new process of the
 * same package then does what AWS does next (the caller's retry of the alert; the sweep every minute) over the same
 * table: the cut-off trigger and the cut-off acknowledge both reach PagerDuty and are confirmed, and the retried alert
 * names the stored incident. Runs after {@code package} (Maven's integration-test phase).
 */
class ProcessCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "tocsin-crash-it";
    private static final String KEY = "R0UTINGKEY0123456789ABCDEFGHIJKL";

    /** Completes with each request body PagerDuty receives, when it is received (before any stubbed delay). */
    static final class Arrivals implements ServeEventListener {
        private volatile CompletableFuture<String> next = new CompletableFuture<>();
        private final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        CompletableFuture<String> expect() {
            next = new CompletableFuture<>();
            return next;
        }

        /** The event actions received since the last call (a request held at a kill is not among them). */
        List<String> actionsSinceLast() {
            List<String> actions = received.stream().map(body -> {
                try {
                    return JSON.readTree(body).path("event_action").asText() + ":"
                            + JSON.readTree(body).path("dedup_key").asText();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            received.clear();
            return actions;
        }

        @Override
        public void afterMatch(ServeEvent event, Parameters parameters) {
            received.add(event.getRequest().getBodyAsString());
            next.complete(event.getRequest().getBodyAsString());
        }

        @Override
        public String getName() {
            return "arrivals";
        }
    }

    @Test
    void aTriggerAndAnAcknowledgeCutOffBySigkillAreDeliveredAfterRestart() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path zip = root.resolve("target/function.zip");
        assertTrue(Files.exists(zip), "run after package: " + zip);
        Path work = Files.createTempDirectory("tocsin-crash-it");
        Path unpacked = LambdaProcess.unpack(root, zip, work);
        Path log = root.resolve("target/process-crash-it.log");
        Files.deleteIfExists(log);
        Arrivals arrivals = new Arrivals();
        WireMockServer pagerDuty = new WireMockServer(wireMockConfig().dynamicPort().extensions(arrivals));
        pagerDuty.start();
        try (DynaliteServer dynalite = DynaliteServer.start(root, null);
                DynamoDbClient client = DynaliteResource.client(dynalite.endpoint())) {
            TableBootstrap.ensureTable(client, TABLE);
            Map<String, String> env = Map.ofEntries(
                    Map.entry("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynalite.endpoint()),
                    Map.entry("QUARKUS_DYNAMODB_AWS_REGION", "us-east-1"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_TYPE", "static"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "x"),
                    Map.entry("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "x"),
                    Map.entry("QUARKUS_REST_CLIENT_PAGERDUTY_EVENTS_URL", pagerDuty.baseUrl()),
                    Map.entry("QUARKUS_REST_CLIENT_PAGERDUTY_EVENTS_READ_TIMEOUT", "60000"),
                    Map.entry("TOCSIN_TABLE_NAME", TABLE),
                    Map.entry("PAGERDUTY_ENABLED", "true"),
                    Map.entry("PAGERDUTY_INTEGRATION_KEY", KEY),
                    // leases of a second, so that the restarted process may take over at once (real time here)
                    Map.entry("TOCSIN_INGEST_CLAIM_LEASE", "1s"),
                    Map.entry("TOCSIN_DELIVERY_LEASE", "1s"));
            String dedupKey = "crash-it/" + UUID.randomUUID();
            String alert = JSON.createObjectNode().put("severity", "critical").put("title", "Checkout down")
                    .put("source", "crash-it").put("dedup_key", dedupKey).toString();

            // 1. ingest: killed while PagerDuty holds the trigger
            pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                    .withFixedDelay(120_000)));
            CompletableFuture<String> trigger = arrivals.expect();
            try (LambdaProcess ingest = new LambdaProcess(unpacked, "ingest", env, log)) {
                ingest.invoke(alert);
                JsonNode cutOff = JSON.readTree(trigger.get(120, TimeUnit.SECONDS));
                assertEquals("trigger", cutOff.path("event_action").asText());
                ingest.kill();
            }
            String incidentId = JSON.readTree(trigger.get()).path("dedup_key").asText();
            arrivals.actionsSinceLast();
            assertTrue(stored(client, incidentId) == null, "the incident was not written before the kill");

            // 2. the caller's retry, in a new process: it names the stored incident, and the trigger is confirmed
            pagerDuty.resetAll();
            pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                    .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
            try (LambdaProcess retry = new LambdaProcess(unpacked, "ingest", env, log)) {
                JsonNode answer = JSON.readTree(retry.call(alert, 120));
                assertEquals(incidentId, answer.path("incident_id").asText(), answer.toString());
                assertEquals("created", answer.path("status").asText(), answer.toString());
                assertEquals("delivered", answer.path("delivery").asText(), answer.toString());
            }
            assertEquals(List.of("trigger:" + incidentId), arrivals.actionsSinceLast(),
                    "the cut-off trigger, sent again once and confirmed after the restart");
            assertTrue(stored(client, incidentId).contains("\"state\":\"delivered\""));

            // 3. acknowledge: killed while PagerDuty holds the acknowledge
            pagerDuty.resetAll();
            pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                    .withFixedDelay(120_000)));
            CompletableFuture<String> acknowledge = arrivals.expect();
            try (LambdaProcess ack = new LambdaProcess(unpacked, "acknowledge", env, log)) {
                ack.invoke(JSON.createObjectNode().put("incident_id", incidentId).put("acknowledged_by", "alice")
                        .toString());
                assertEquals("acknowledge", JSON.readTree(acknowledge.get(120, TimeUnit.SECONDS))
                        .path("event_action").asText());
                ack.kill();
            }
            arrivals.actionsSinceLast();

            // 4. the sweep, in a new process, a minute later: the acknowledge is sent again and confirmed
            pagerDuty.resetAll();
            pagerDuty.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                    .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
            try (LambdaProcess sweep = new LambdaProcess(unpacked, "escalation-sweep", env, log)) {
                JsonNode answer = JSON.readTree(sweep.call("{\"detail-type\":\"Scheduled Event\"}", 120));
                assertEquals(1, answer.path("redelivery").path("delivered").asInt(), answer.toString());
            }
            assertEquals(List.of("acknowledge:" + incidentId), arrivals.actionsSinceLast(),
                    "the cut-off acknowledge, sent again once and confirmed after the restart");
            String item = stored(client, incidentId);
            assertTrue(item.contains("\"status\":\"acknowledged\""), item);
        } finally {
            pagerDuty.stop();
        }
    }

    /** The incident item as JSON (for its state and outbox), or null when not written. */
    private static String stored(DynamoDbClient client, String id) {
        var item = client.getItem(GetItemRequest.builder().tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("INC#" + id),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("META")))
                .build()).item();
        if (item == null || item.isEmpty() || !item.containsKey("created_ms")) {
            return null;
        }
        StringBuilder text = new StringBuilder("{\"status\":\"" + item.get("status").s() + "\"");
        item.get("outbox").l().forEach(e -> text.append(",{\"state\":\"").append(e.m().get("state").s())
                .append("\",\"action\":\"").append(e.m().containsKey("action") ? e.m().get("action").s() : "")
                .append("\"}"));
        return text.append('}').toString();
    }
}
