package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alertmanager.AlertmanagerFunction;
import io.tocsin.config.Settings;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.token.TokenGate;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokenSecrets;
import io.tocsin.token.TokenStore;
import io.tocsin.token.TokensFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * What checking a webhook token inside the function adds to a call (BENCHMARKS.md, "Webhook tokens"): the same
 * Alertmanager notification (one alert, a duplicate: 1 UpdateItem) through the IAM route and through the token
 * route, the token check alone, a raw consistent GetItem of the token item (the floor of the check), and a wrong
 * secret; plus the DynamoDB requests of each, and the CPU of the salted hash. Asserts outcomes, never a time.
 * Knobs: {@code -Dbench.n} (calls per path, default 1500), {@code -Dbench.rounds} (default 8), {@code -Dbench.warmup}.
 */
@QuarkusTest
@Tag("bench")
@TestProfile(IngestBenchTest.PagerDutyOff.class)
class TokenCheckBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    TokenGate gate;
    @Inject
    AlertmanagerFunction alertmanager;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    private static ObjectNode event(String routeKey, String authorization, String body) {
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", routeKey)
                .put("rawPath", routeKey.substring(5));
        ObjectNode headers = event.putObject("headers").put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode context = event.putObject("requestContext").put("routeKey", routeKey);
        context.putObject("http").put("method", "POST").put("path", routeKey.substring(5)).put("sourceIp", "203.0.113.9");
        if (authorization == null) {
            // the IAM route: API Gateway passes the signer's principal
            context.putObject("authorizer").putObject("iam").put("userArn", "arn:aws:iam::123456789012:user/bench");
        }
        return event.put("body", body).put("isBase64Encoded", false);
    }

    @Test
    void tokenRouteAgainstIamRoute() throws Exception {
        int n = BenchSupport.intProperty("bench.n", 1500);
        int rounds = BenchSupport.intProperty("bench.rounds", 8);
        int warmup = BenchSupport.intProperty("bench.warmup", 300);
        ObjectNode create = JSON.createObjectNode().put("action", "create").put("name", "bench");
        create.putArray("routes").add("alertmanager");
        JsonNode created = tokens.tokens(create);
        String bearer = "Bearer " + created.path("token").asText();
        String wrong = bearer.substring(0, bearer.length() - 1) + (bearer.endsWith("A") ? "B" : "A");
        String id = created.path("id").asText();

        ObjectNode webhook = JSON.createObjectNode().put("version", "4").put("receiver", "tocsin")
                .put("status", "firing");
        ObjectNode alert = webhook.putArray("alerts").addObject().put("status", "firing")
                .put("fingerprint", "bench-" + UUID.randomUUID()).put("startsAt", "2026-11-26T11:50:00Z");
        alert.putObject("labels").put("alertname", "HighErrorRate").put("job", "checkout-api")
                .put("severity", "critical");
        alert.putObject("annotations").put("summary", "Error rate above 5%");
        ObjectNode iamEvent = event("POST /alertmanager", null, webhook.toString());
        ObjectNode tokenEvent = event(TokenRoute.ALERTMANAGER.routeKey(), bearer, webhook.toString());
        var getItem = GetItemRequest.builder().tableName(settings.tableName())
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        TokenStore.PARTITION), "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                .fromS("TOKEN#" + id)))
                .consistentRead(true).build();

        // first calls: the incident is created, the token's last use recorded; then everything is steady state
        assertEquals(200, alertmanager.alertmanager(tokenEvent).path("statusCode").asInt());
        var iamCost = DynamoRequestMeter.measure(() -> alertmanager.alertmanager(iamEvent));
        var tokenCost = DynamoRequestMeter.measure(() -> alertmanager.alertmanager(tokenEvent));
        assertEquals("suppressed", body(tokenCost.result()).path("alerts").get(0).path("status").asText());
        var checkCost = DynamoRequestMeter.measure(() -> gate.check(bearer, TokenRoute.ALERTMANAGER));
        var wrongCost = DynamoRequestMeter.measure(() -> gate.check(wrong, TokenRoute.ALERTMANAGER));
        assertInstanceOf(TokenGate.Check.Allowed.class, checkCost.result());
        assertInstanceOf(TokenGate.Check.Refused.class, wrongCost.result());

        List<String> labels = List.of("raw GetItem (strong)", "check, valid token", "check, wrong secret",
                "alertmanager via IAM", "alertmanager via token");
        List<java.util.function.IntConsumer> paths = List.of(
                i -> dynamo.getItem(getItem),
                i -> assertInstanceOf(TokenGate.Check.Allowed.class, gate.check(bearer, TokenRoute.ALERTMANAGER)),
                i -> assertInstanceOf(TokenGate.Check.Refused.class, gate.check(wrong, TokenRoute.ALERTMANAGER)),
                i -> assertEquals(200, alertmanager.alertmanager(iamEvent).path("statusCode").asInt()),
                i -> assertEquals(200, alertmanager.alertmanager(tokenEvent).path("statusCode").asInt()));
        for (var path : paths) {
            BenchSupport.run("warm-up", 1, warmup, path);
        }
        String before = BenchSupport.machine();
        List<List<BenchSupport.Run>> chunks = new ArrayList<>();
        labels.forEach(l -> chunks.add(new ArrayList<>()));
        int chunk = n / rounds;
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < paths.size(); p++) {
                chunks.get(p).add(BenchSupport.run(labels.get(p), 1, r * chunk, (r + 1) * chunk, paths.get(p)));
            }
        }
        StringBuilder out = new StringBuilder("\n=== BENCH webhook token check (TokenCheckBenchTest) ===\n");
        out.append("before: ").append(before).append('\n');
        out.append(BenchSupport.Run.header()).append('\n');
        List<BenchSupport.Run> runs = chunks.stream().map(BenchSupport.Run::merge).toList();
        runs.forEach(run -> out.append(run.row()).append('\n'));
        double added50 = runs.get(4).percentileMs(50) - runs.get(3).percentileMs(50);
        double added99 = runs.get(4).percentileMs(99) - runs.get(3).percentileMs(99);
        out.append(String.format(Locale.ROOT, "added by the token route: p50 %+.2f ms, p99 %+.2f ms "
                + "(token check alone p50 %.2f ms; raw GetItem p50 %.2f ms)%n", added50, added99,
                runs.get(1).percentileMs(50), runs.get(0).percentileMs(50)));

        int hashes = 100_000;
        byte[] salt = new byte[16];
        String secret = created.path("token").asText().substring(21);
        long start = System.nanoTime();
        for (int i = 0; i < hashes; i++) {
            TokenSecrets.hash(secret, salt);
        }
        out.append(String.format(Locale.ROOT, "salted HMAC-SHA256 of a secret, no I/O: %.2f µs%n",
                (System.nanoTime() - start) / 1e3 / hashes));
        out.append("DynamoDB requests per call: IAM route ").append(iamCost.requests()).append(", token route ")
                .append(tokenCost.requests()).append(", token check ").append(checkCost.requests())
                .append(", wrong secret ").append(wrongCost.requests()).append('\n');
        out.append("after: ").append(BenchSupport.machine()).append('\n');
        BenchSupport.print(out.toString());
        // a duplicate is one request, counted on its dedup claim (issue 14)
        assertEquals(Map.of("UpdateItem", 1), iamCost.requests());
        assertEquals(Map.of("UpdateItem", 1, "GetItem", 1), tokenCost.requests());
        assertEquals(Map.of("GetItem", 1), checkCost.requests());
        assertEquals(Map.of("GetItem", 1), wrongCost.requests());
    }

    private static JsonNode body(JsonNode response) {
        try {
            return JSON.readTree(response.path("body").asText());
        } catch (Exception e) {
            throw new AssertionError(response.toString(), e);
        }
    }
}
