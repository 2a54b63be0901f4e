package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.Settings;
import io.tocsin.dashboard.DashboardFunction;
import io.tocsin.incident.IncidentFunction;
import io.tocsin.incident.IncidentsFunction;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.metrics.MetricsFunction;
import io.tocsin.store.TableSchema;
import io.tocsin.support.FuzzRun;
import io.tocsin.token.Token;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokenSecrets;
import io.tocsin.token.TokenStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What every function's fuzz test shares: running {@link FuzzRun} through the mock Lambda event server, the verdict
 * (no server error, nothing stored for a rejected input, every rejection names its field), and afterwards every
 * stored incident still readable by {@code incident}, {@code incidents}, {@code dashboard} and {@code metrics}.
 */
@io.tocsin.support.RunsLastInProfile
abstract class FuzzTestBase {

    /**
     * The profile of a fuzzed function that has no other test with the same configuration: {@code quarkus.funqy.export}
     * only. Most fuzz tests share the function's {@link Exports} profile (one application start for the fuzz and the
     * Lambda test); {@link io.tocsin.support.RunsLastInProfile} runs them after the other classes of that profile, so
     * that what the fuzzer stores (windows, heartbeats, tokens, incidents) cannot reach those tests.
     */
    public abstract static class FuzzProfile implements io.quarkus.test.junit.QuarkusTestProfile {
        public abstract String export();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", export());
        }
    }

    /** Not the default profile (which exports ingest too): the default profile's tests store items on purpose. */
    public static class IngestProfile extends FuzzProfile { public String export() { return "ingest"; } }
    /** Unsigned: {@link Exports.GrafanaSigned} (GrafanaLambdaTest) requires an HMAC signature on every request. */
    public static class GrafanaProfile extends FuzzProfile { public String export() { return "grafana"; } }

    /**
     * The daily summary mails to a real SMTP server (GreenMail); {@link Exports.DailySummary} (DailySummaryLambdaTest)
     * has the summary mail switched off.
     */
    public static class DailySummaryProfile extends FuzzProfile {
        public String export() {
            return "daily-summary";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", export(), "alert.summary-email.enabled", "true",
                    "alert.summary-email.recipients", "sre@example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(io.tocsin.support.SmtpServer.class));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    IngestPipeline pipeline;
    @Inject
    TokenStore tokens;
    @Inject
    IncidentFunction incident;
    @Inject
    IncidentsFunction incidents;
    @Inject
    DashboardFunction dashboard;
    @Inject
    MetricsFunction metrics;

    FuzzRun run(String function, List<ObjectNode> seeds, List<FuzzRun.Route> routes) {
        return new FuzzRun(function, seeds, routes, dynamo, settings.tableName());
    }

    /** Runs the inputs and asserts the verdict, then that everything stored is still readable. */
    void fuzz(FuzzRun run) {
        fuzz(run, true);
    }

    /** @param rejects whether the function validates input at all (the scheduled ones take any event) */
    void fuzz(FuzzRun run, boolean rejects) {
        FuzzRun.Totals totals = run.run(FuzzRun.inputs());
        String replay = " (replay: -Dfuzz.seed=" + totals.seed() + "); first failures: "
                + String.join("\n", totals.failures().stream().limit(5).toList());
        assertEquals(0, totals.serverErrors(), "server errors" + replay);
        assertEquals(0, totals.storedFromRejected(), "items stored for rejected inputs" + replay);
        assertEquals(0, totals.unnamedRejections(), "rejections that name no field" + replay);
        assertEquals(totals.inputs(), totals.ok() + totals.rejected());
        assertTrue(totals.ok() > 0, "no input was accepted: the seeds do not reach the function's real work");
        assertTrue(!rejects || totals.rejected() > 0, "no input was rejected: the mutations do not reach validation");
        assertStoredIncidentsReadable();
    }

    static ObjectNode object(Object... keysAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    String newIncident(String severity) {
        ObjectNode alert = object("severity", severity, "title", "fuzz target " + UUID.randomUUID(), "source",
                "fuzz-" + UUID.randomUUID());
        return ((IngestResult.Created) pipeline.ingest(alert, 100)).incidentId();
    }

    /** A webhook token for {@code route} (as the tokens function issues one); the Authorization header value. */
    String bearerToken(TokenRoute route) {
        TokenSecrets.Issued issued = TokenSecrets.issue();
        tokens.create(new Token(issued.id(), "fuzz", Set.of(route), null, Instant.now(), "fuzz", null, null, null),
                issued.salt(), issued.hash());
        return "Bearer " + issued.token().value();
    }

    /** Every incident item: readable one by one, listed by {@code incidents}, and the dashboard and metrics work. */
    void assertStoredIncidentsReadable() {
        Map<String, Long> created = new java.util.HashMap<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(settings.tableName()).consistentRead(true).build())
                .items().forEach(item -> {
                    String pk = item.get(TableSchema.PK).s();
                    if (pk.startsWith("INC#") && item.containsKey("created_ms")) {
                        created.put(item.get("id").s(), Long.parseLong(item.get("created_ms").n()));
                    }
                });
        for (String id : created.keySet()) {
            JsonNode answer = incident.incident(object("incident_id", id));
            assertFalse(answer.has("error"), "incident " + id + " unreadable: " + answer);
            assertEquals(id, answer.path("id").asText(answer.path("incident_id").asText()), answer.toString());
        }
        if (created.isEmpty()) {
            return;
        }
        long min = created.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = created.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        Set<String> listed = new HashSet<>();
        Duration step = Duration.ofDays(90);
        for (Instant from = Instant.ofEpochMilli(min).minusSeconds(1); !from.isAfter(Instant.ofEpochMilli(max));
                from = from.plus(step)) {
            Instant to = from.plus(step);
            String cursor = null;
            do {
                ObjectNode query = object("status", "triggered,acknowledged,resolved,suppressed", "from",
                        from.toString(), "to", to.toString(), "limit", 100);
                if (cursor != null) {
                    query.put("cursor", cursor);
                }
                JsonNode page = incidents.incidents(query);
                assertFalse(page.has("error"), page.toString());
                page.path("incidents").forEach(i -> listed.add(i.path("id").asText(i.path("incident_id").asText())));
                cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
            } while (cursor != null);
            JsonNode figures = metrics.metrics(object("from", from.toString(), "to", to.toString()));
            assertFalse(figures.has("error"), figures.toString());
        }
        Set<String> missing = new HashSet<>(created.keySet());
        missing.removeAll(listed);
        assertTrue(missing.isEmpty(), "incidents not listed by `incidents`: " + missing);
        JsonNode page = dashboard.dashboard(object());
        assertFalse(page.has("error"), page.toString());
        assertTrue(page.path("html").asText().contains("</html>"), "the dashboard did not render");
        for (String status : List.of("triggered", "acknowledged", "resolved")) {
            assertFalse(dashboard.dashboard(object("status", status)).has("error"));
        }
    }

    static Map<String, AttributeValue> none() {
        return Map.of();
    }
}
