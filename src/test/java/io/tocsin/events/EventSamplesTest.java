package io.tocsin.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentFunction;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentsFunction;
import io.tocsin.incident.LifecycleFunctions;
import io.tocsin.entry.PagerDutyWebhookFunction;
import io.tocsin.support.MutableClock;
import io.tocsin.entry.IngestFunction;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/**
 * Every sample in {@code events/<function>/} goes through the function its folder names, and its answer is checked
 * against the outcome listed here. A sample with no listed outcome, or a folder naming no function, fails the test.
 */
@QuarkusTest
class EventSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestFunction ingest;
    @Inject
    IncidentFunction incident;
    @Inject
    IncidentsFunction incidents;
    @Inject
    LifecycleFunctions lifecycle;
    @Inject
    PagerDutyWebhookFunction webhook;
    @Inject
    IncidentStore store;
    @Inject
    io.tocsin.incident.IncidentWrites writes;
    @Inject
    io.tocsin.alertmanager.AlertmanagerFunction alertmanager;
    @Inject
    io.tocsin.rules.RulesFunctions rules;
    @Inject
    io.tocsin.maintenance.MaintenanceFunction maintenance;
    @Inject
    io.tocsin.metrics.MetricsFunction metrics;
    @Inject
    io.tocsin.sweep.SweepFunction sweep;
    @Inject
    io.tocsin.dashboard.DashboardFunction dashboard;
    @Inject
    io.tocsin.summary.SummaryFunction summary;
    @Inject
    io.tocsin.grafana.GrafanaFunction grafana;
    @Inject
    io.tocsin.token.TokensFunction tokens;
    @Inject
    io.tocsin.token.TokenStore tokenStore;
    @Inject
    io.tocsin.oncall.function.OnCallFunction oncall;
    @Inject
    io.tocsin.oncall.function.OnCallFeedFunction oncallFeed;
    @Inject
    io.tocsin.oncall.store.OnCallStore onCallStore;
    @Inject
    io.tocsin.heartbeat.HeartbeatFunction heartbeat;
    @Inject
    MutableClock clock;

    private void seed(String id, String severity) {
        Alert alert = new Alert(Severity.parse(severity).orElseThrow(), "sample " + id, "", "samples",
                JSON.createObjectNode(), "sample-" + id, false, null, clock.instant());
        writes.recordTriggered(id, alert, AlertCodec.encode(alert),
                io.tocsin.support.Outboxes.trigger(new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false), clock.instant()), clock.instant());
    }

    private static Predicate<JsonNode> field(String name, String value) {
        return answer -> value.equals(answer.path(name).asText());
    }

    private static Predicate<JsonNode> http(int status, String bodyField, String value) {
        return answer -> {
            try {
                return answer.path("statusCode").asInt() == status
                        && value.equals(JSON.readTree(answer.path("body").asText()).path(bodyField).asText());
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** The incidents the samples name (ids ending in a, b, c), seeded before the samples run. */
    static final String ACK_SAMPLE = "00000000-0000-4000-8000-00000000000a";
    static final String RESOLVE_SAMPLE = "00000000-0000-4000-8000-00000000000b";
    static final String WEBHOOK_SAMPLE = "00000000-0000-4000-8000-00000000000c";

    /**
     * The webhook token events/grafana/api-gateway-hooks.json carries ({@code tcn_<id>_<secret>}), stored before the
     * samples run the way the tokens function stores one: its salted hash only.
     */
    static final String SAMPLE_TOKEN_ID = "5a3b1c0d9e8f7a6b";
    static final String SAMPLE_TOKEN_SECRET = "c2FtcGxlIHRva2VuIHNlY3JldCBmb3IgZXZlbnRzISE";

    private void seedToken() {
        byte[] salt = "events-sample-salt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tokenStore.create(new io.tocsin.token.Token(SAMPLE_TOKEN_ID, "grafana-samples",
                java.util.EnumSet.of(io.tocsin.token.TokenRoute.GRAFANA), "grafana:", clock.instant(), "samples",
                null, null, null), salt, io.tocsin.token.TokenSecrets.hash(SAMPLE_TOKEN_SECRET, salt));
    }

    private static Predicate<JsonNode> firstAlert(String status) {
        return answer -> status.equals(answer.path("alerts").path(0).path("status").asText());
    }

    /** What each sample must produce. Samples run in path order: acknowledge before incident, and so on. */
    private static final Map<String, Predicate<JsonNode>> EXPECTED = Map.ofEntries(
            Map.entry("acknowledge/api-gateway-http.json", http(200, "acknowledged", "true")),
            Map.entry("alertmanager/firing.json", answer -> "created".equals(answer.path("alerts").path(0)
                    .path("status").asText())),
            Map.entry("alertmanager/resolved.json", answer -> "resolved".equals(answer.path("alerts").path(0)
                    .path("status").asText())),
            Map.entry("acknowledge/direct.json", field("already_acknowledged", "true")),
            Map.entry("dashboard/api-gateway-http.json", answer -> answer.path("statusCode").asInt() == 200
                    && "text/html; charset=utf-8".equals(answer.path("headers").path("content-type").asText())
                    && answer.path("body").asText().contains("id=\"history\"")
                    && answer.path("body").asText().contains("data-source=\"samples\"")),
            // the CloudWatch console's custom widget event: the page itself, as a JSON string
            Map.entry("dashboard/cloudwatch-custom-widget.json", answer -> answer.isTextual()
                    && answer.asText().startsWith("<!DOCTYPE html>") && answer.asText().contains("id=\"history\"")),
            Map.entry("evaluate/direct.json", answer -> answer.path("fired").size() == 3),
            // through the token route: the seeded token allows grafana; the alert's source is grafana:db-1:9100
            Map.entry("grafana/api-gateway-hooks.json", answer -> {
                try {
                    return answer.path("statusCode").asInt() == 200 && "created".equals(JSON.readTree(
                            answer.path("body").asText()).path("alerts").path(0).path("status").asText());
                } catch (IOException e) {
                    return false;
                }
            }),
            Map.entry("grafana/firing.json", firstAlert("created")),
            Map.entry("grafana/resolved.json", firstAlert("resolved")),
            Map.entry("oncall/apply-dry-run.json", answer -> answer.path("dry_run").asBoolean()
                    && answer.path("changes").size() == 7 && !answer.path("changed").asBoolean()),
            Map.entry("oncall/apply.json", answer -> answer.path("changed").asBoolean()
                    || "no change".equals(answer.path("summary").asText())),
            Map.entry("oncall/now-api-gateway-http.json", http(200, "schedule", "primary")),
            Map.entry("oncall/feed-create-api-gateway-http.json", http(200, "scope", "schedule/primary")),
            // a calendar app asking for a feed that does not exist: the same 404 as a revoked or wrong secret
            Map.entry("oncall-feed/unknown-feed-api-gateway-http.json", answer -> answer.path("statusCode").asInt() == 404
                    && "no such feed\n".equals(answer.path("body").asText())),
            Map.entry("tokens/create.json", answer -> answer.path("created").asBoolean()
                    && answer.path("token").asText().startsWith("tcn_")
                    && "grafana".equals(answer.path("routes").path(0).asText())),
            // the list shows both tokens and never a secret
            Map.entry("tokens/list-api-gateway-http.json", answer -> answer.path("statusCode").asInt() == 200
                    && answer.path("body").asText().contains("\"grafana-prod\"")
                    && answer.path("body").asText().contains("\"grafana-samples\"")
                    && !answer.path("body").asText().contains("tcn_")
                    && !answer.path("body").asText().contains(SAMPLE_TOKEN_SECRET)),
            Map.entry("rules/direct.json", answer -> answer.path("rules").size() == 14),
            // the default test profile has ALERT_SUMMARY_EMAIL_ENABLED=false (DailySummaryTest sends it for real)
            Map.entry("daily-summary/scheduled-event.json", answer -> !answer.path("sent").asBoolean()
                    && answer.path("reason").asText().startsWith("disabled: ALERT_SUMMARY_EMAIL_ENABLED is false")),
            Map.entry("escalation-sweep/scheduled-event.json",
                    answer -> answer.path("escalated").isArray() && answer.path("redelivery").has("sent")),
            // samples run in path order: create, then the ping over API Gateway, then Alertmanager's Watchdog
            Map.entry("heartbeat/create-direct.json", answer -> answer.path("created").asBoolean()
                    && answer.path("interval_seconds").asLong() == 86_400),
            Map.entry("heartbeat/ping-api-gateway-http.json", http(200, "pings", "1")),
            Map.entry("heartbeat/watchdog-alertmanager.json", answer -> answer.path("pinged").asBoolean()
                    && "Watchdog".equals(answer.path("name").asText())),
            Map.entry("incident/direct.json", field("error", "not_found")),
            Map.entry("incident/api-gateway-http.json", http(404, "error", "not_found")),
            Map.entry("incidents/api-gateway-http.json", http(200, "count", "0")),
            Map.entry("incidents/direct.json", field("count", "2")),
            Map.entry("ingest/direct.json", field("status", "created")),
            Map.entry("ingest/cloudwatch-composite-alarm.json", field("status", "created")),
            Map.entry("ingest/cloudwatch-metric-alarm-alarm.json", field("status", "created")),
            Map.entry("ingest/cloudwatch-metric-alarm-ok.json", field("status", "resolved")),
            Map.entry("ingest/sns-alarm.json", answer -> "created".equals(answer.path("alarms").path(0)
                    .path("status").asText())),
            Map.entry("ingest/api-gateway-http.json", http(201, "status", "created")),
            Map.entry("maintenance/create.json", field("created", "true")),
            Map.entry("maintenance/create-recurring.json", answer -> answer.path("created").asBoolean()
                    && "2026-11-29T02:00:00+01:00".equals(answer.path("next_occurrences").path(0).path("start").asText())),
            Map.entry("metrics/direct.json", answer -> answer.has("total_incidents") && answer.has("mttr_minutes")),
            Map.entry("maintenance/list-api-gateway-http.json", answer -> answer.path("statusCode").asInt() == 200
                    && answer.path("body").asText().contains("Postgres 16 upgrade of billing-db")),
            Map.entry("pagerduty-webhook/api-gateway-http.json", http(200, "result", "applied")),
            Map.entry("resolve/api-gateway-http.json", http(200, "resolved", "true")),
            Map.entry("resolve/direct.json", http409("conflict")));

    private static Predicate<JsonNode> http409(String error) {
        return answer -> error.equals(answer.path("error").asText());
    }

    @TestFactory
    Stream<DynamicTest> everySampleRunsThroughItsFunction() throws IOException {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-11-26T12:00:00Z"));
        seed(ACK_SAMPLE, "critical");
        seed(RESOLVE_SAMPLE, "high");
        seed(WEBHOOK_SAMPLE, "critical");
        seedToken();
        Map<String, Function<JsonNode, JsonNode>> functions = Map.ofEntries(
                Map.entry("acknowledge", lifecycle::acknowledge),
                Map.entry("alertmanager", alertmanager::alertmanager),
                Map.entry("evaluate", rules::evaluate),
                Map.entry("rules", rules::rules),
                Map.entry("escalation-sweep", sweep::sweep),
                Map.entry("daily-summary", summary::dailySummary),
                Map.entry("incident", incident::incident),
                Map.entry("incidents", incidents::incidents),
                Map.entry("ingest", ingest::ingest),
                Map.entry("pagerduty-webhook", webhook::webhook),
                Map.entry("resolve", lifecycle::resolve),
                Map.entry("maintenance", maintenance::maintenance),
                Map.entry("metrics", metrics::metrics),
                Map.entry("dashboard", dashboard::dashboard),
                Map.entry("grafana", grafana::grafana),
                Map.entry("tokens", tokens::tokens),
                Map.entry("oncall", oncall::oncall),
                Map.entry("oncall-feed", oncallFeed::feed),
                Map.entry("heartbeat", heartbeat::heartbeat));
        Path events = Projects.root().resolve("events");
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(events)) {
            samples = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(samples.size() >= EXPECTED.size(), "samples found: " + samples);
        // last: the samples' on-call document is removed, so that the sweeps of later tests in this application see
        // no schedule and send no handoff email
        DynamicTest removeOnCall = DynamicTest.dynamicTest("(remove the samples' on-call document)",
                () -> onCallStore.apply(io.tocsin.oncall.document.OnCallDocument.EMPTY, true));
        return Stream.concat(samples.stream().map(sample -> {
            String name = events.relativize(sample).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(name, () -> {
                String function = name.substring(0, name.indexOf('/'));
                Function<JsonNode, JsonNode> invoke = functions.get(function);
                assertNotNull(invoke, "events/" + function + "/ names no function");
                Predicate<JsonNode> expected = EXPECTED.get(name);
                assertNotNull(expected, "no expected outcome listed for events/" + name);
                JsonNode answer = invoke.apply(JSON.readTree(sample.toFile()));
                assertTrue(expected.test(answer), "events/" + name + " answered " + answer);
            });
        }), Stream.of(removeOnCall));
    }

    @TestFactory
    Stream<DynamicTest> everyListedOutcomeHasItsSample() {
        return EXPECTED.keySet().stream().map(name -> DynamicTest.dynamicTest(name,
                () -> assertEquals(true, Files.isRegularFile(Projects.root().resolve("events").resolve(name)))));
    }
}
