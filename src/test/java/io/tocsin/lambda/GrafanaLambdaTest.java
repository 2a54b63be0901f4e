package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alertmanager.AlertmanagerAlerts;
import io.tocsin.alert.Severity;
import io.tocsin.config.Secret;
import io.tocsin.config.Settings;
import io.tocsin.grafana.GrafanaSignature;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.support.TableItems;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokensFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Grafana's webhook contact point on {@code POST /hooks/grafana}, through the real Funqy Lambda path with the token
 * check and the HMAC signature check (configured in this profile: two secrets, a timestamp header) in the loop.
 */
@QuarkusTest
@TestProfile(Exports.GrafanaSigned.class)
class GrafanaLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    IncidentStore incidents;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    MutableClock clock;

    private String token;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-11-26T12:00:00Z"));
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", "grafana-prod");
        input.putArray("routes").add("grafana");
        token = tokens.tokens(input).path("token").asText();
    }

    static ObjectNode sample(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Projects.root().resolve("events/grafana/" + name)));
    }

    /** The sample with a fresh fingerprint (so that each test has its own incidents). */
    private static ObjectNode withFingerprint(ObjectNode webhook, String fingerprint) {
        ((ObjectNode) webhook.path("alerts").get(0)).put("fingerprint", fingerprint);
        return webhook;
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private static String signature(String secret, String timestamp, String body) {
        return HexFormat.of().formatHex(GrafanaSignature.sign(new Secret(secret), timestamp,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A request as Grafana sends it: the token as Bearer credentials, signed with the secret at the timestamp. */
    private JsonNode send(String body, String secret, String timestamp, Map<String, String> override) {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Bearer " + token);
        headers.put("user-agent", "Grafana");
        if (secret != null) {
            headers.put("x-grafana-alerting-timestamp", timestamp);
            headers.put("x-grafana-alerting-signature", signature(secret, timestamp, body));
        }
        headers.putAll(override);
        headers.values().removeIf(v -> v == null);
        return LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.GRAFANA.path(), Map.of(), headers, body));
    }

    private JsonNode send(JsonNode webhook) {
        return send(webhook.toString(), Exports.GrafanaSigned.SECRET, now(), Map.of());
    }

    private static JsonNode alerts(JsonNode answer) {
        assertEquals(200, HttpEvents.status(answer), answer.toString());
        return HttpEvents.body(answer).path("alerts");
    }

    @Test
    void firingRaisesAndResolvedResolves() throws Exception {
        String fingerprint = UUID.randomUUID().toString();
        JsonNode created = alerts(send(withFingerprint(sample("firing.json"), fingerprint))).get(0);
        assertEquals("created", created.path("status").asText(), created.toString());
        Incident incident = incidents.findAsStored(created.path("incident_id").asText()).orElseThrow();
        assertEquals(Severity.CRITICAL, incident.alert().severity());
        assertEquals("Checkout latency p99: p99 latency above 2 s", incident.alert().title());
        assertEquals("grafana:checkout-api", incident.alert().source());
        assertEquals("grafana:" + fingerprint, incident.alert().dedupKey());
        assertEquals("p99 of checkout-api was 2.7 s over the last 5 minutes", incident.alert().description());
        JsonNode metadata = incident.alert().metadata();
        assertEquals("https://grafana.example.com/d/checkout?orgId=1&viewPanel=4", metadata.path("panel_url").asText());
        assertEquals(2.7, metadata.path("values").path("B").asDouble());
        assertEquals("1", metadata.path("org_id").asText());
        assertEquals("critical", PagerDutyFake.eventsFor(incident.id()).get(0).at("/payload/severity").asText());

        clock.advance(Duration.ofMinutes(15));
        JsonNode resolved = alerts(send(withFingerprint(sample("resolved.json"), fingerprint))).get(0);
        assertEquals("resolved", resolved.path("status").asText(), resolved.toString());
        assertEquals(incident.id(), resolved.path("incident_ids").get(0).asText());
        Incident after = incidents.findAsStored(incident.id()).orElseThrow();
        assertEquals(IncidentStatus.RESOLVED, after.status());
        assertEquals("grafana", after.resolvedBy());
        List<JsonNode> events = PagerDutyFake.eventsFor(incident.id());
        assertEquals("resolve", events.get(events.size() - 1).path("event_action").asText());

        // resolved again (Grafana repeats, with a new timestamp): nothing open any more
        clock.advance(Duration.ofSeconds(1));
        assertEquals("no_open_incident", alerts(send(withFingerprint(sample("resolved.json"), fingerprint))).get(0)
                .path("status").asText());
    }

    @Test
    void aMultiAlertNotificationRaisesEachAlertAndResolvesOnlyTheResolvedOne() throws Exception {
        String disk = UUID.randomUUID().toString();
        String memory = UUID.randomUUID().toString();
        ObjectNode webhook = sample("firing.json");
        ArrayNode list = (ArrayNode) webhook.path("alerts");
        ObjectNode first = (ObjectNode) list.get(0);
        first.put("fingerprint", disk);
        ((ObjectNode) first.path("labels")).put("alertname", "Disk full").put("severity", "warning")
                .put("job", "db-1");
        ObjectNode second = first.deepCopy().put("fingerprint", memory);
        ((ObjectNode) second.path("labels")).put("alertname", "Memory high").put("severity", "error")
                .put("job", "db-2");
        ObjectNode third = first.deepCopy().put("fingerprint", UUID.randomUUID().toString());
        ((ObjectNode) third.path("labels")).put("alertname", "Heartbeat").remove("severity");
        list.add(second).add(third);
        JsonNode raised = alerts(send(webhook));
        assertEquals(3, raised.size(), raised.toString());
        Map<String, Severity> severities = new HashMap<>();
        for (JsonNode alert : raised) {
            assertEquals("created", alert.path("status").asText(), alert.toString());
            Incident incident = incidents.findAsStored(alert.path("incident_id").asText()).orElseThrow();
            severities.put(incident.alert().dedupKey(), incident.alert().severity());
        }
        assertEquals(Severity.MEDIUM, severities.get("grafana:" + disk), "warning -> medium");
        assertEquals(Severity.HIGH, severities.get("grafana:" + memory), "error -> high");
        assertEquals(Severity.LOW, severities.get("grafana:" + third.path("fingerprint").asText()), "none -> low");

        // next notification of the group: the disk alert resolved, the memory alert still firing (a duplicate)
        clock.advance(Duration.ofMinutes(1));
        first.put("status", "resolved").put("endsAt", "2026-11-26T12:01:00Z");
        list.remove(2);
        JsonNode next = alerts(send(webhook));
        assertEquals("resolved", next.get(0).path("status").asText(), next.toString());
        assertEquals("suppressed", next.get(1).path("status").asText(), next.toString());
        assertEquals("duplicate", next.get(1).path("reason").asText());
        assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(next.get(0).path("incident_ids").get(0).asText())
                .orElseThrow().status());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(next.get(1).path("incident_id").asText())
                .orElseThrow().status());
    }

    @Test
    void withoutAFingerprintTheSortedLabelsIdentifyTheAlert() throws Exception {
        String instance = "db-" + UUID.randomUUID();
        ObjectNode firing = sample("firing.json");
        ObjectNode alert = (ObjectNode) firing.path("alerts").get(0);
        alert.remove("fingerprint");
        ObjectNode labels = JSON.createObjectNode().put("alertname", "Replication lag").put("instance", instance)
                .put("severity", "high");
        alert.set("labels", labels);
        JsonNode created = alerts(send(firing)).get(0);
        assertEquals("created", created.path("status").asText(), created.toString());
        Incident incident = incidents.findAsStored(created.path("incident_id").asText()).orElseThrow();
        assertEquals("grafana:" + io.tocsin.alert.LabelFingerprint.of(java.util.Map.of("alertname", "Replication lag",
                "instance", instance, "severity", "high")), incident.alert().dedupKey(),
                "the fingerprint Alertmanager would compute from the labels");

        // the resolved notification lists the same labels in another order, still without a fingerprint
        ObjectNode resolved = sample("resolved.json");
        ObjectNode done = (ObjectNode) resolved.path("alerts").get(0);
        done.remove("fingerprint");
        done.set("labels", JSON.createObjectNode().put("severity", "high").put("instance", instance)
                .put("alertname", "Replication lag"));
        JsonNode answer = alerts(send(resolved)).get(0);
        assertEquals("resolved", answer.path("status").asText(), answer.toString());
        assertEquals(incident.id(), answer.path("incident_ids").get(0).asText());

        // other labels are another alert
        ObjectNode other = sample("firing.json");
        ObjectNode otherAlert = (ObjectNode) other.path("alerts").get(0);
        otherAlert.remove("fingerprint");
        otherAlert.set("labels", labels.deepCopy().put("instance", instance + "-replica"));
        JsonNode second = alerts(send(other)).get(0);
        assertNotEquals(incident.alert().dedupKey(),
                incidents.findAsStored(second.path("incident_id").asText()).orElseThrow().alert().dedupKey());
    }

    @Test
    void theSignatureIsCheckedWhenASecretIsConfigured() throws Exception {
        String body = withFingerprint(sample("firing.json"), UUID.randomUUID().toString()).toString();
        String secret = Exports.GrafanaSigned.SECRET;
        long before = TableItems.count(dynamo, settings.tableName());
        Map<String, JsonNode> refused = new java.util.LinkedHashMap<>();
        refused.put("unsigned", send(body, null, null, Map.of()));
        refused.put("another secret", send(body, "not-the-secret", now(), Map.of()));
        refused.put("tampered body", send(body, secret, now(), Map.of("x-grafana-alerting-signature",
                signature(secret, now(), body.replace("critical", "warning")))));
        refused.put("stale", send(body, secret, Long.toString(clock.instant().minus(Duration.ofMinutes(6))
                .getEpochSecond()), Map.of()));
        refused.put("from the future", send(body, secret, Long.toString(clock.instant().plus(Duration.ofMinutes(6))
                .getEpochSecond()), Map.of()));
        refused.put("timestamp swapped after signing", send(body, secret, now(), Map.of(
                "x-grafana-alerting-timestamp", Long.toString(clock.instant().getEpochSecond() - 1))));
        refused.put("no timestamp", send(body, secret, now(), Map.of("x-grafana-alerting-timestamp", "")));
        refused.put("not hex", send(body, secret, now(), Map.of("x-grafana-alerting-signature", "zz")));
        refused.forEach((what, answer) -> {
            assertEquals(401, HttpEvents.status(answer), what + ": " + answer);
            assertEquals("unauthorized", HttpEvents.body(answer).path("error").asText(), what);
        });
        assertEquals("x-grafana-alerting-signature", HttpEvents.body(refused.get("unsigned")).path("problems")
                .get(0).path("field").asText());
        assertEquals("x-grafana-alerting-timestamp", HttpEvents.body(refused.get("stale")).path("problems")
                .get(0).path("field").asText());
        assertEquals(before, TableItems.count(dynamo, settings.tableName()), "nothing stored for unsigned calls");

        // within the tolerance, signed with the previous secret (a rotation), under Grafana's signer default header
        String fourMinutesAgo = Long.toString(clock.instant().minus(Duration.ofMinutes(4)).getEpochSecond());
        JsonNode rotated = send(body, null, null, Map.of("x-grafana-alerting-timestamp", fourMinutesAgo,
                "x-grafana-alert-signature", signature(Exports.GrafanaSigned.OLD_SECRET, fourMinutesAgo, body)));
        assertEquals("created", alerts(rotated).get(0).path("status").asText(), rotated.toString());

        // the token is checked first: a signed request without a valid token is still refused
        JsonNode noToken = send(body, secret, now(), Map.of("authorization", "Bearer tcn_nope"));
        assertEquals(401, HttpEvents.status(noToken));
    }

    @Test
    void badPayloadsNameTheFieldAndStoreNothing() throws Exception {
        long before = TableItems.count(dynamo, settings.tableName());
        ObjectNode alertmanagerPayload = AlertmanagerLambdaTest.sample("alertmanager/firing.json");
        JsonNode wrongVersion = send(alertmanagerPayload);
        assertEquals(400, HttpEvents.status(wrongVersion), wrongVersion.toString());
        assertEquals("version", HttpEvents.body(wrongVersion).path("problems").get(0).path("field").asText());
        JsonNode notJson = send("{\"version\": \"1\", alerts", Exports.GrafanaSigned.SECRET, now(), Map.of());
        assertEquals(400, HttpEvents.status(notJson));
        assertEquals("malformed_json", HttpEvents.body(notJson).path("error").asText());
        ObjectNode noAlerts = sample("firing.json");
        noAlerts.put("alerts", "none");
        assertEquals("alerts", HttpEvents.body(send(noAlerts)).path("problems").get(0).path("field").asText());
        assertEquals(before, TableItems.count(dynamo, settings.tableName()));

        // a direct invocation (IAM) carries no HTTP body to sign and needs no token
        JsonNode direct = LambdaCalls.invoke(withFingerprint(sample("firing.json"), UUID.randomUUID().toString()));
        assertEquals("created", direct.path("alerts").get(0).path("status").asText(), direct.toString());
    }

    /** A scoped Grafana token's request, signed as Grafana signs it. */
    private JsonNode sendAs(String bearer, JsonNode webhook) {
        String saved = token;
        token = bearer;
        try {
            return send(webhook);
        } finally {
            token = saved;
        }
    }

    private String scopedToken(String name, String prefix) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", name)
                .put("source_prefix", prefix);
        input.putArray("routes").add("grafana");
        return tokens.tokens(input).path("token").asText();
    }

    private static ObjectNode withJob(ObjectNode webhook, String job) {
        ((ObjectNode) webhook.path("alerts").get(0).path("labels")).put("job", job);
        return webhook;
    }

    /** docs/deduplication.md, "Key spaces": team A's Grafana token cannot resolve team B's alert by its fingerprint. */
    @Test
    void aTeamsTokenCannotResolveAnotherTeamsAlertByFingerprint() throws Exception {
        String teamA = scopedToken("grafana-team-a", "grafana:team-a");
        String teamB = scopedToken("grafana-team-b", "grafana:team-b");
        String fingerprint = UUID.randomUUID().toString();
        JsonNode created = alerts(sendAs(teamB, withJob(withFingerprint(sample("firing.json"), fingerprint),
                "team-b-api"))).get(0);
        String id = created.path("incident_id").asText();
        clock.advance(Duration.ofSeconds(1));
        JsonNode forged = alerts(sendAs(teamA, withJob(withFingerprint(sample("resolved.json"), fingerprint),
                "team-a-api"))).get(0);
        assertEquals("no_open_incident", forged.path("status").asText(), forged.toString());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(id).orElseThrow().status());
        clock.advance(Duration.ofSeconds(1));
        JsonNode own = alerts(sendAs(teamB, withJob(withFingerprint(sample("resolved.json"), fingerprint),
                "team-b-api"))).get(0);
        assertEquals("resolved", own.path("status").asText(), own.toString());
    }

    /** docs/ingest.md: at most MAX_ALERTS_PER_NOTIFICATION alerts per notification, 400 naming the limit. */
    @Test
    void aNotificationOverTheAlertCapIsRefusedNamingTheLimit() throws Exception {
        ObjectNode webhook = sample("firing.json");
        JsonNode one = webhook.path("alerts").get(0);
        var list = webhook.putArray("alerts");
        for (int i = 0; i <= AlertmanagerAlerts.MAX_ALERTS_PER_NOTIFICATION; i++) {
            list.add(((ObjectNode) one.deepCopy()).put("fingerprint", UUID.randomUUID().toString()));
        }
        long before = TableItems.count(dynamo, settings.tableName());
        JsonNode answer = send(webhook);
        assertEquals(400, HttpEvents.status(answer), answer.toString());
        JsonNode problem = HttpEvents.body(answer).path("problems").get(0);
        assertEquals("alerts", problem.path("field").asText());
        assertTrue(problem.path("message").asText().contains("at most "
                + AlertmanagerAlerts.MAX_ALERTS_PER_NOTIFICATION), problem.toString());
        assertEquals(before, TableItems.count(dynamo, settings.tableName()), "nothing stored");
    }

    /** A query parameter never replaces a field of the signed body. */
    @Test
    void queryParametersDoNotOverrideTheSignedBody() throws Exception {
        String body = withFingerprint(sample("firing.json"), UUID.randomUUID().toString()).toString();
        String timestamp = now();
        Map<String, String> headers = Map.of("authorization", "Bearer " + token,
                "x-grafana-alerting-timestamp", timestamp,
                "x-grafana-alerting-signature", signature(Exports.GrafanaSigned.SECRET, timestamp, body));
        JsonNode answer = LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.GRAFANA.path(),
                Map.of("version", "4", "alerts", "none"), headers, body));
        assertEquals("created", alerts(answer).get(0).path("status").asText(), answer.toString());
    }

    /** A timestamp beyond Instant's range is a bad request (400), not an error of the function. */
    @Test
    void anOutOfRangeTimestampIsA400() throws Exception {
        String body = withFingerprint(sample("firing.json"), UUID.randomUUID().toString()).toString();
        for (String timestamp : List.of("99999999999999999", "-99999999999999999", "soon")) {
            JsonNode answer = send(body, Exports.GrafanaSigned.SECRET, timestamp, Map.of());
            assertEquals(400, HttpEvents.status(answer), timestamp + ": " + answer);
            assertEquals("x-grafana-alerting-timestamp", HttpEvents.body(answer).path("problems").get(0)
                    .path("field").asText(), answer.toString());
        }
    }

    /** A captured signed notification replayed within the timestamp tolerance does nothing. */
    @Test
    void aReplayedSignedNotificationIsAppliedOnce() throws Exception {
        String fingerprint = UUID.randomUUID().toString();
        JsonNode created = alerts(send(withFingerprint(sample("firing.json"), fingerprint))).get(0);
        String id = created.path("incident_id").asText();
        String resolved = withFingerprint(sample("resolved.json"), fingerprint).toString();
        String timestamp = now();
        assertEquals("resolved", alerts(send(resolved, Exports.GrafanaSigned.SECRET, timestamp, Map.of())).get(0)
                .path("status").asText());
        clock.advance(Duration.ofSeconds(30));
        JsonNode again = alerts(send(withFingerprint(sample("firing.json"), fingerprint))).get(0);
        assertEquals("created", again.path("status").asText(), again.toString());
        clock.advance(Duration.ofSeconds(30));
        // the captured resolve, sent again within the tolerance: nothing is done, the new incident stays open
        JsonNode replay = send(resolved, Exports.GrafanaSigned.SECRET, timestamp, Map.of());
        assertEquals(200, HttpEvents.status(replay), replay.toString());
        assertEquals("duplicate", HttpEvents.body(replay).path("result").asText(), replay.toString());
        assertEquals(IncidentStatus.TRIGGERED, incidents.findAsStored(again.path("incident_id").asText())
                .orElseThrow().status());
        assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(id).orElseThrow().status());
    }
}
