package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Settings;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.TableItems;
import io.tocsin.token.TokenGate;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokensFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Alertmanager on its token route {@code POST /hooks/alertmanager}, through the real Funqy Lambda path with the token
 * check in the loop, and tokens made by the tokens function: every refusal is a 401 or 403 and stores nothing.
 */
@QuarkusTest
@TestProfile(Exports.Alertmanager.class)
class TokenRoutesLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    TokenGate gate;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    MutableClock clock;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-11-26T12:00:00Z"));
    }

    /** A new token from the admin function: its id and the secret it showed once. */
    private String[] issue(String name, String sourcePrefix, String... routes) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", name);
        List.of(routes).forEach(input.putArray("routes")::add);
        if (sourcePrefix != null) {
            input.put("source_prefix", sourcePrefix);
        }
        JsonNode created = tokens.tokens(input);
        assertTrue(created.path("created").asBoolean(), created.toString());
        return new String[] { created.path("id").asText(), created.path("token").asText() };
    }

    private static ObjectNode firing(String fingerprint, String job) throws Exception {
        ObjectNode webhook = AlertmanagerLambdaTest.sample("alertmanager/firing.json");
        ObjectNode alert = (ObjectNode) webhook.path("alerts").get(0);
        alert.put("fingerprint", fingerprint);
        ((ObjectNode) alert.path("labels")).put("job", job);
        return webhook;
    }

    private static JsonNode hook(String authorization, JsonNode body) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("authorization", authorization);
        return LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.ALERTMANAGER.path(), Map.of(), headers,
                body.toString()));
    }

    private long stored() {
        return TableItems.count(dynamo, settings.tableName());
    }

    /** Refused with this status and error, and the table holds exactly as many items as before. */
    private void refused(int status, String error, String authorization, JsonNode body) {
        long before = stored();
        JsonNode answer = hook(authorization, body);
        assertEquals(status, HttpEvents.status(answer), answer.toString());
        assertEquals(error, HttpEvents.body(answer).path("error").asText(), answer.toString());
        if (status == 401) {
            assertEquals("Bearer realm=\"tocsin\"", answer.path("headers").path("www-authenticate").asText());
        }
        assertEquals(before, stored(), "nothing stored for a refused call: " + answer);
    }

    @Test
    void aValidTokenRaisesAndResolvesWithBearerOrBasicAuth() throws Exception {
        String[] token = issue("alertmanager-eu", null, "alertmanager");
        String fingerprint = UUID.randomUUID().toString();
        JsonNode created = hook("Bearer " + token[1], firing(fingerprint, "checkout-api"));
        assertEquals(200, HttpEvents.status(created), created.toString());
        JsonNode first = HttpEvents.body(created).path("alerts").get(0);
        assertEquals("created", first.path("status").asText(), created.toString());
        String id = first.path("incident_id").asText();
        assertEquals("critical", PagerDutyFake.eventsFor(id).get(0).at("/payload/severity").asText());

        // basic auth: any user name, the token as the password (Alertmanager's and Grafana's basic_auth)
        ObjectNode resolved = AlertmanagerLambdaTest.sample("alertmanager/resolved.json");
        ((ObjectNode) resolved.path("alerts").get(0)).put("fingerprint", fingerprint);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("tocsin:" + token[1])
                .getBytes(StandardCharsets.UTF_8));
        JsonNode done = hook(basic, resolved);
        assertEquals(200, HttpEvents.status(done), done.toString());
        assertEquals("resolved", HttpEvents.body(done).path("alerts").get(0).path("status").asText());
        // the scheme is case-insensitive (RFC 9110)
        assertEquals(200, HttpEvents.status(hook("bearer " + token[1], firing(UUID.randomUUID().toString(), "a"))));

        JsonNode listed = tokens.tokens(JSON.createObjectNode().put("action", "list"));
        for (JsonNode t : listed.path("tokens")) {
            if (t.path("id").asText().equals(token[0])) {
                assertEquals("2026-11-26T12:00:00Z", t.path("last_used_at").asText(), t.toString());
            }
        }
    }

    @Test
    void everyBadTokenIsRefusedAndStoresNothing() throws Exception {
        String[] token = issue("alertmanager-eu", null, "alertmanager");
        String[] grafanaOnly = issue("grafana-prod", null, "grafana");
        String[] revoked = issue("old-alertmanager", null, "alertmanager");
        tokens.tokens(JSON.createObjectNode().put("action", "revoke").put("id", revoked[0]));
        ObjectNode webhook = firing(UUID.randomUUID().toString(), "checkout-api");

        refused(401, "unauthorized", null, webhook); // missing header
        refused(401, "unauthorized", "", webhook);
        refused(401, "unauthorized", "Token " + token[1], webhook); // unknown scheme
        refused(401, "unauthorized", "Bearer not-a-token", webhook);
        String wrongSecret = token[1].substring(0, token[1].length() - 4) + "AAAA";
        refused(401, "unauthorized", "Bearer " + wrongSecret, webhook);
        refused(401, "unauthorized", "Bearer " + token[1].replace(token[0], "0123456789abcdef"), webhook);
        refused(401, "unauthorized", "Bearer " + revoked[1], webhook);
        refused(401, "unauthorized", "Basic " + Base64.getEncoder().encodeToString(
                ("tocsin:" + wrongSecret).getBytes(StandardCharsets.UTF_8)), webhook);
        refused(403, "forbidden", "Bearer " + grafanaOnly[1], webhook); // a token for another route
        // a refused call is refused before the body is read: no hint about the payload
        refused(401, "unauthorized", null, JSON.createObjectNode().put("version", "3"));

        // the same payload with the valid token is stored
        long before = stored();
        assertEquals(200, HttpEvents.status(hook("Bearer " + token[1], webhook)));
        assertTrue(stored() > before);
    }

    @Test
    void aSourcePrefixConfinesTheToken() throws Exception {
        String[] token = issue("checkout-team", "alertmanager:checkout-", "alertmanager");
        refused(403, "forbidden", "Bearer " + token[1], firing(UUID.randomUUID().toString(), "billing-api"));
        JsonNode answer = hook("Bearer " + token[1], firing(UUID.randomUUID().toString(), "billing-api"));
        JsonNode problem = HttpEvents.body(answer).path("problems").get(0);
        assertEquals("alerts[0].source", problem.path("field").asText());
        assertTrue(problem.path("message").asText().contains("alertmanager:billing-api"), problem.toString());
        JsonNode ok = hook("Bearer " + token[1], firing(UUID.randomUUID().toString(), "checkout-api"));
        assertEquals("created", HttpEvents.body(ok).path("alerts").get(0).path("status").asText(), ok.toString());
    }

    @Test
    void theIamRouteAndDirectInvocationNeedNoToken() throws Exception {
        JsonNode iam = LambdaCalls.invoke(HttpEvents.post("/alertmanager", Map.of(),
                firing(UUID.randomUUID().toString(), "checkout-api").toString()));
        assertEquals(200, HttpEvents.status(iam), iam.toString());
        JsonNode direct = LambdaCalls.invoke(firing(UUID.randomUUID().toString(), "checkout-api"));
        assertEquals("created", direct.path("alerts").get(0).path("status").asText(), direct.toString());
        // a path under /hooks/ that is not this function's route is refused, never served as an IAM call
        long before = stored();
        JsonNode wrongRoute = LambdaCalls.invoke(HttpEvents.post("/hooks/grafana", Map.of(),
                firing(UUID.randomUUID().toString(), "checkout-api").toString()));
        assertEquals(403, HttpEvents.status(wrongRoute), wrongRoute.toString());
        assertEquals(before, stored());
    }

    /**
     * What the check costs in DynamoDB requests (BENCHMARKS.md): one GetItem per call, and the last-used write at most
     * once a minute per token; nothing at all for a missing or malformed header.
     */
    @Test
    void theCheckCostsOneReadAndALastUsedWriteAtMostOnceAMinute() {
        String[] token = issue("cost", null, "alertmanager");
        String bearer = "Bearer " + token[1];
        var first = DynamoRequestMeter.measure(() -> gate.check(bearer, TokenRoute.ALERTMANAGER));
        assertInstanceOf(TokenGate.Check.Allowed.class, first.result());
        assertEquals(Map.of("GetItem", 1, "UpdateItem", 1), first.requests());
        clock.advance(Duration.ofSeconds(59));
        var again = DynamoRequestMeter.measure(() -> gate.check(bearer, TokenRoute.ALERTMANAGER));
        assertInstanceOf(TokenGate.Check.Allowed.class, again.result());
        assertEquals(Map.of("GetItem", 1), again.requests(), "no write within the minute");
        clock.advance(Duration.ofSeconds(1));
        var minuteLater = DynamoRequestMeter.measure(() -> gate.check(bearer, TokenRoute.ALERTMANAGER));
        assertEquals(Map.of("GetItem", 1, "UpdateItem", 1), minuteLater.requests());
        // another instance that read the item before this write: its write is refused by the condition
        clock.advance(Duration.ofSeconds(30));
        assertEquals(false, new io.tocsin.token.TokenStore(dynamo, settings).touch(token[0], clock.instant(),
                TokenGate.LAST_USED_GRANULARITY));

        var wrong = DynamoRequestMeter.measure(() -> gate.check("Bearer " + token[1].substring(0,
                token[1].length() - 1) + "x", TokenRoute.ALERTMANAGER));
        assertInstanceOf(TokenGate.Check.Refused.class, wrong.result());
        assertEquals(Map.of("GetItem", 1), wrong.requests());
        var missing = DynamoRequestMeter.measure(() -> gate.check((String) null, TokenRoute.ALERTMANAGER));
        assertInstanceOf(TokenGate.Check.Refused.class, missing.result());
        assertEquals(Map.of(), missing.requests());
        var malformed = DynamoRequestMeter.measure(() -> gate.check("Bearer abc", TokenRoute.ALERTMANAGER));
        assertEquals(Map.of(), malformed.requests());
        System.out.println("Token check DynamoDB requests: first use " + first.requests() + ", within the minute "
                + again.requests() + ", a minute later " + minuteLater.requests() + ", wrong secret "
                + wrong.requests() + ", missing header " + missing.requests());
    }

    /**
     * A token over its rate is refused 429 with Retry-After by the gate, before the body is read, while another token
     * goes on (the application's own limiter is unthrottled for the tests, whose clock stands still: a gate with the
     * real one here).
     */
    @Test
    void aTokenOverItsRateGets429AndOthersAreServed() {
        TokenGate limited = new TokenGate(new io.tocsin.token.TokenStore(dynamo, settings), clock,
                new io.tocsin.token.TokenRateLimit(clock));
        String flood = "Bearer " + issue("flood", null, "alertmanager")[1];
        String quiet = "Bearer " + issue("quiet", null, "alertmanager")[1];
        for (int i = 0; i < io.tocsin.token.TokenRateLimit.BURST; i++) {
            assertInstanceOf(TokenGate.Check.Allowed.class, limited.check(flood, TokenRoute.ALERTMANAGER));
        }
        TokenGate.Check over = limited.check(flood, TokenRoute.ALERTMANAGER);
        JsonNode response = assertInstanceOf(TokenGate.Check.Refused.class, over).response();
        assertEquals(429, HttpEvents.status(response), response.toString());
        assertEquals("1", response.path("headers").path("retry-after").asText(), response.toString());
        assertEquals("rate_limited", HttpEvents.body(response).path("error").asText());
        assertInstanceOf(TokenGate.Check.Allowed.class, limited.check(quiet, TokenRoute.ALERTMANAGER));
        clock.advance(Duration.ofMillis(100));
        assertInstanceOf(TokenGate.Check.Allowed.class, limited.check(flood, TokenRoute.ALERTMANAGER));
    }
}
