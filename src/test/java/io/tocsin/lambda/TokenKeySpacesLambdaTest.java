package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokensFunction;

/**
 * Token key spaces on {@code POST /hooks/alertmanager}, through the real Funqy Lambda path: a token confined to team A's
 * sources cannot resolve, absorb or pre-empt team B's incident by sending B's fingerprint (docs/deduplication.md, "Key
 * spaces"); and the upgrade: an incident opened in the shared space before key spaces (a token's alert was stored then
 * exactly as an IAM caller's is now, so the IAM route writes today's format) is still joined and resolved by its
 * team's token, never by another team's.
 */
@QuarkusTest
@TestProfile(Exports.Alertmanager.class)
class TokenKeySpacesLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;

    private String teamA;
    private String teamB;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-11-26T12:00:00Z"));
        teamA = issue("team-a", "alertmanager:team-a");
        teamB = issue("team-b", "alertmanager:team-b");
    }

    private String issue(String name, String prefix) {
        ObjectNode input = JSON.createObjectNode().put("action", "create").put("name", name)
                .put("source_prefix", prefix);
        input.putArray("routes").add("alertmanager");
        return tokens.tokens(input).path("token").asText();
    }

    private static ObjectNode alert(String sample, String fingerprint, String job, String severity) throws Exception {
        ObjectNode webhook = AlertmanagerLambdaTest.sample("alertmanager/" + sample + ".json");
        ObjectNode alert = (ObjectNode) webhook.path("alerts").get(0);
        alert.put("fingerprint", fingerprint);
        ((ObjectNode) alert.path("labels")).put("job", job).put("severity", severity);
        return webhook;
    }

    /** The first alert's result of a notification sent with {@code token} (null: the IAM route). */
    private static JsonNode send(String token, JsonNode webhook) {
        JsonNode answer = token == null
                ? LambdaCalls.invoke(HttpEvents.post("/alertmanager", Map.of(), webhook.toString()))
                : LambdaCalls.invoke(HttpEvents.request("POST", TokenRoute.ALERTMANAGER.path(), Map.of(),
                        Map.of("authorization", "Bearer " + token), webhook.toString()));
        assertEquals(200, HttpEvents.status(answer), answer.toString());
        return HttpEvents.body(answer).path("alerts").get(0);
    }

    private IncidentStatus status(String incidentId) {
        return incidents.findAsStored(incidentId).orElseThrow().status();
    }

    private static List<String> actions(String incidentId) {
        return PagerDutyFake.eventsFor(incidentId).stream().map(e -> e.path("event_action").asText()).toList();
    }

    @Test
    void teamAsTokenCannotResolveTeamBsIncidentWithItsFingerprint() throws Exception {
        String fingerprint = UUID.randomUUID().toString();
        JsonNode created = send(teamB, alert("firing", fingerprint, "team-b-api", "critical"));
        String incident = created.path("incident_id").asText();
        assertEquals("created", created.path("status").asText(), created.toString());

        JsonNode resolve = send(teamA, alert("resolved", fingerprint, "team-a-api", "critical"));
        assertEquals("no_open_incident", resolve.path("status").asText(), resolve.toString());
        assertEquals(IncidentStatus.TRIGGERED, status(incident));
        assertEquals(List.of("trigger"), actions(incident), "no resolve reached PagerDuty");

        JsonNode own = send(teamB, alert("resolved", fingerprint, "team-b-api", "critical"));
        assertEquals("resolved", own.path("status").asText(), own.toString());
        assertEquals(IncidentStatus.RESOLVED, status(incident));
    }

    @Test
    void teamAsLowAlertNeitherPreemptsNorAbsorbsTeamBsCriticalOne() throws Exception {
        String fingerprint = UUID.randomUUID().toString();
        // pre-empt: A opens B's fingerprint first, with a low alert
        JsonNode low = send(teamA, alert("firing", fingerprint, "team-a-api", "info"));
        assertEquals("created", low.path("status").asText(), low.toString());
        JsonNode critical = send(teamB, alert("firing", fingerprint, "team-b-api", "critical"));
        assertEquals("created", critical.path("status").asText(), "B's alert is not A's duplicate: " + critical);
        String bIncident = critical.path("incident_id").asText();
        assertNotEquals(low.path("incident_id").asText(), bIncident);
        assertEquals("critical", PagerDutyFake.eventsFor(bIncident).get(0).at("/payload/severity").asText());

        // absorb: A's next alert with the fingerprint joins A's own incident, never B's
        JsonNode again = send(teamA, alert("firing", fingerprint, "team-a-api", "info"));
        assertEquals(low.path("incident_id").asText(), again.path("incident_id").asText(), again.toString());
        assertEquals(0, incidents.findWithDuplicates(bIncident).orElseThrow().duplicateCount());
        // the incident says which key space its key lives in, and shows the key as sent
        JsonNode shown = io.tocsin.incident.IncidentJson.of(incidents.findAsStored(bIncident).orElseThrow());
        assertEquals("alertmanager:" + fingerprint, shown.path("dedup_key").asText(), shown.toString());
        assertEquals("alertmanager:team-b", shown.path("dedup_key_space").asText(), shown.toString());
    }

    @Test
    void anIncidentOpenedBeforeKeySpacesIsJoinedAndResolvedByItsTeamOnly() throws Exception {
        String fingerprint = UUID.randomUUID().toString();
        // today's format: a token's alert claimed the shared key, as the IAM route's does
        JsonNode before = send(null, alert("firing", fingerprint, "team-a-api", "critical"));
        String old = before.path("incident_id").asText();
        assertEquals("created", before.path("status").asText(), before.toString());

        JsonNode repeat = send(teamA, alert("firing", fingerprint, "team-a-api", "critical"));
        assertEquals("suppressed", repeat.path("status").asText(), repeat.toString());
        assertEquals("duplicate", repeat.path("reason").asText(), repeat.toString());
        assertEquals(old, repeat.path("incident_id").asText(), "joins the incident it already has: no second page");
        assertEquals(List.of("trigger"), actions(old));
        assertEquals(1, PagerDutyFake.events().size());

        // team B's token: the shared incident's source is outside its prefix: neither joined nor resolved
        JsonNode other = send(teamB, alert("firing", fingerprint, "team-b-api", "critical"));
        assertEquals("created", other.path("status").asText(), other.toString());
        JsonNode notB = send(teamB, alert("resolved", fingerprint, "team-b-api", "critical"));
        assertEquals(List.of(other.path("incident_id").asText()), ids(notB));
        assertEquals(IncidentStatus.TRIGGERED, status(old));

        JsonNode resolved = send(teamA, alert("resolved", fingerprint, "team-a-api", "critical"));
        assertEquals(List.of(old), ids(resolved), resolved.toString());
        assertEquals(IncidentStatus.RESOLVED, status(old));
        assertEquals(List.of("trigger", "resolve"), actions(old), "PagerDuty's dedup_key is the old incident's id");

        // after it, team A's alerts open incidents in its own space
        JsonNode next = send(teamA, alert("firing", fingerprint, "team-a-api", "critical"));
        assertEquals("created", next.path("status").asText(), next.toString());
        assertTrue(incidents.findAsStored(next.path("incident_id").asText()).orElseThrow().alert().dedupKey()
                .startsWith("scope:"));
    }

    private static List<String> ids(JsonNode result) {
        return java.util.stream.StreamSupport.stream(result.path("incident_ids").spliterator(), false)
                .map(JsonNode::asText).toList();
    }
}
