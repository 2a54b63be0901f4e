package io.tocsin.upgrade;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.AlertCodec;
import io.tocsin.config.AlertConfig;
import io.tocsin.config.MaintenanceConfig;
import io.tocsin.config.PagerDutyConfig;
import io.tocsin.config.Secret;
import io.tocsin.config.Settings;
import io.tocsin.config.TocsinConfig;
import io.tocsin.dedup.DedupStore;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.escalation.EscalationAction;
import io.tocsin.escalation.EscalationConfig;
import io.tocsin.escalation.EscalationSweep;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.ingest.NormaliseStage;
import io.tocsin.maintenance.MaintenanceFunction;
import io.tocsin.notify.EmailNotifier;
import io.tocsin.pagerduty.PagerDutyRestApi;
import io.tocsin.pagerduty.PagerDutyWebhookFunction;
import io.tocsin.pagerduty.WebhookSignature;
import io.tocsin.redelivery.Redelivery;
import io.tocsin.summary.DailySummary;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;
import io.tocsin.support.SmtpServer;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Not a test: the generator of the "previous format" fixtures in {@code src/test/resources/upgrade/v1/}. It drives
 * the real code paths of the version it runs in (ingest pipeline, lifecycle, sweeps, webhook, maintenance and summary
 * functions) with a moved clock, PagerDuty faked by WireMock and a real SMTP server, then scans the table and writes
 * every item as DynamoDB JSON ({@code items.json}), which case is which item ({@code cases.json}) and the README.
 *
 * <p>Run only on purpose, from the commit whose format is to be captured (the fixtures in the repository come from
 * dd9243d, the code before the delivery-guarantees rewrite):
 * <pre>./mvnw test -Dtest=CaptureV1Fixtures -Dcapture.fixtures=true</pre>
 * The class name does not match Surefire's test patterns and it is disabled without the property, so the build
 * never runs it.
 */
@QuarkusTest
@TestProfile(CaptureV1Fixtures.Capture.class)
@EnabledIfSystemProperty(named = "capture.fixtures", matches = "true")
class CaptureV1Fixtures {

    public static class Capture implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("alert.summary-email.enabled", "true",
                    "alert.summary-email.recipients", "sre@example.com",
                    "alert.summary-email.time", "08:00",
                    "tocsin.summary.zone", "UTC");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    /** The commit the fixtures were captured from; written into cases.json and the README. */
    static final String CAPTURED_FROM = System.getProperty("capture.commit", "dd9243d");
    static final Path DIR = Projects.root().resolve("src/test/resources/upgrade/v1");
    /** The scenario's first moment (a clock the tests move; nothing depends on the real time). */
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    /** The test configuration's webhook secret (%test.pagerduty.webhook-secret). */
    private static final Secret WEBHOOK_SECRET = new Secret("whsec-current-0123456789");

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    IncidentStore incidents;
    @Inject
    EscalationSweep sweep;
    @Inject
    Redelivery redelivery;
    @Inject
    DedupStore dedup;
    @Inject
    NormaliseStage normalise;
    @Inject
    MaintenanceFunction maintenance;
    @Inject
    PagerDutyWebhookFunction webhook;
    @Inject
    DailySummary summary;
    @Inject
    MutableClock clock;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    AlertConfig alertConfig;
    @Inject
    MaintenanceConfig maintenanceConfig;
    @Inject
    PagerDutyConfig pagerDutyConfig;
    @Inject
    TocsinConfig tocsinConfig;
    @Inject
    EscalationConfig escalationConfig;
    @Inject
    EmailNotifier email;
    @Inject
    @RestClient
    PagerDutyRestApi rest;

    /** Case name → what it is and the key of its item, in the order the scenario makes them. */
    private final Map<String, Case> cases = new LinkedHashMap<>();

    /** @param incidentId for a dedup claim, the incident id it holds (null for other items) */
    record Case(String pk, String sk, String what, String incidentId) {
    }

    @Test
    void capture() throws Exception {
        PagerDutyFake.reset();
        SmtpServer.greenMail().purgeEmailFromAllMailboxes();

        // A maintenance window for billing-db (created through the maintenance function), and an alert it suppresses.
        clock.set(T0.minus(Duration.ofMinutes(10)));
        JsonNode window = maintenance.maintenance(json("action", "create", "start", "2026-11-20T08:50:00Z",
                "end", "2026-11-20T11:00:00Z", "reason", "Postgres 16 upgrade", "created_by", "alice")
                .set("sources", Fixtures.JSON.createArrayNode().add("billing-db")));
        String windowId = window.path("id").asText();
        assertTrue(window.path("created").asBoolean(), window.toString());
        add("maintenance_window", "MAINT", Instants.format(Instant.parse("2026-11-20T11:00:00Z")) + "#" + windowId,
                "maintenance window 08:50–11:00 UTC for source billing-db, created by alice through the maintenance function");

        clock.set(T0);
        IngestResult suppressed = pipeline.ingest(alert("high", "billing-db", "billing-db replication lag", null), 200);
        String suppressedId = assertInstanceOf(IngestResult.Suppressed.class, suppressed).recordId();
        incident("maintenance_suppressed", suppressedId, "alert recorded as suppressed (reason maintenance) by the window"
                + " above; no dedup claim, no page");

        // Escalated through PagerDuty's REST API (the test configuration has PAGERDUTY_API_KEY): level 3 of 3.
        String restEscalated = created(alert("critical", "checkout-api", "checkout-api is down",
                "checkout-api/healthz"));
        clock.set(T0.plus(Duration.ofMinutes(1)));
        assertInstanceOf(IngestResult.Suppressed.class,
                pipeline.ingest(alert("critical", "checkout-api", "checkout-api is down", "checkout-api/healthz"), 200));
        clock.set(T0.plus(Duration.ofMinutes(15)));
        assertEquals(List.of(restEscalated), sweep.run(clock.instant()));
        clock.set(T0.plus(Duration.ofMinutes(30)));
        assertEquals(List.of(restEscalated), sweep.run(clock.instant()));
        incident("escalated_rest_level3", restEscalated, "critical, trigger delivered, one duplicate counted, escalated"
                + " to level 2 and 3 (the last) through PagerDuty's REST API; still triggered; out of the escalation index");
        claim("claim_with_incident", "checkout-api/healthz", restEscalated,
                "the dedup claim of checkout-api/healthz: incident written, hits 2 (one duplicate)");

        // Escalated by email (the same sweep and action code, with settings that have no PagerDuty API key): level 2.
        clock.set(T0.plus(Duration.ofMinutes(31)));
        String emailEscalated = created(alert("critical", "payments-api", "payments-api error rate above 5%", null));
        clock.set(T0.plus(Duration.ofMinutes(46)));
        assertEquals(List.of(emailEscalated), emailSweep().run(clock.instant()));
        assertTrue(SmtpServer.greenMail().getReceivedMessages().length >= 1, "the escalation email was sent");
        incident("escalated_email_level2", emailEscalated, "critical, trigger delivered, escalated to level 2 by email"
                + " (no PagerDuty API key); still triggered; next escalation (level 3) due at T0+61 min, in the index");

        // Acknowledged in Tocsin, then resolved with notes; opened from a rule (the rule attribute is stored).
        clock.set(T0.plus(Duration.ofMinutes(50)));
        String resolved = created(json("rule", "disk_usage_high", "source", "db-2", "description", "disk at 91 %"));
        clock.set(T0.plus(Duration.ofMinutes(55)));
        applied(lifecycle.acknowledge(resolved, "alice"));
        clock.set(T0.plus(Duration.ofMinutes(59)));
        applied(lifecycle.resolve(resolved, "cleaned up old WAL files", "alice"));
        incident("resolved", resolved, "rule disk_usage_high (high), acknowledged by alice, resolved with notes;"
                + " trigger, acknowledge and resolve delivered");

        // Acknowledged in Tocsin (acknowledge delivered to PagerDuty).
        clock.set(T0.plus(Duration.ofMinutes(60)));
        String acknowledged = created(alert("high", "orders-worker", "orders queue depth growing", null));
        clock.set(T0.plus(Duration.ofMinutes(62)));
        applied(lifecycle.acknowledge(acknowledged, "bob"));
        incident("acknowledged", acknowledged, "high, acknowledged by bob in Tocsin; trigger and acknowledge delivered");

        // Acknowledged in PagerDuty (a signed v3 webhook): the incident and the webhook's receipt item.
        clock.set(T0.plus(Duration.ofMinutes(63)));
        String viaWebhook = created(alert("low", "certs", "TLS certificate expires in 20 days", null));
        clock.set(T0.plus(Duration.ofMinutes(64)));
        String webhookId = "fixture-webhook-" + UUID.randomUUID();
        JsonNode answer = deliverWebhook("incident.acknowledged", viaWebhook, webhookId);
        assertEquals("applied", HttpEvents.body(answer).path("result").asText(), answer.toString());
        incident("acknowledged_in_pagerduty", viaWebhook, "low, acknowledged in PagerDuty (webhook, agent Carol"
                + " Oncall); no acknowledge event sent back");
        add("webhook_receipt", "WEBHOOK#" + webhookId, "RECEIPT", "the receipt of that webhook delivery (X-Webhook-Id)");

        // An open incident whose page was delivered, left alone.
        clock.set(T0.plus(Duration.ofMinutes(80)));
        String open = created(alert("high", "api-gateway", "p99 latency above 2 s", null));
        incident("open_triggered_delivered", open, "high, triggered, trigger delivered (202) on the first attempt");

        // PagerDuty refuses the trigger (400): failed, not retried.
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"invalid event\","
                        + "\"message\":\"Event object is invalid\",\"errors\":[\"Length of 'routing_key' is incorrect\"]}")));
        clock.set(T0.plus(Duration.ofMinutes(85)));
        String refused = created(alert("medium", "batch-jobs", "nightly export late", null));
        incident("trigger_failed", refused, "medium, PagerDuty answered 400: trigger failed with its errors, never retried");

        // PagerDuty down (503): pages left pending for the sweep.
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(503)
                .withBody("{\"status\":\"unavailable\"}")));
        clock.set(T0.plus(Duration.ofMinutes(90)));
        String pending = created(alert("critical", "search", "search cluster red", null));
        assertEquals(DeliveryState.PENDING, incidents.find(pending).orElseThrow().delivery().state());
        clock.set(T0.plus(Duration.ofMinutes(92)));
        Redelivery.Report swept = redelivery.run(clock.instant());
        assertEquals(1, swept.sent(), "one more attempt by the sweep, still 503");

        clock.set(T0.plus(Duration.ofMinutes(95)));
        String held = created(alert("high", "cache", "cache hit ratio below 50%", null));
        clock.set(T0.plus(Duration.ofMinutes(96)));
        applied(lifecycle.acknowledge(held, "carol"));

        clock.set(T0.plus(Duration.ofMinutes(97)));
        String heldResolve = created(alert("medium", "mailer", "bounce rate elevated", null));
        clock.set(T0.plus(Duration.ofMinutes(98)));
        applied(lifecycle.acknowledge(heldResolve, "dave"));
        applied(lifecycle.resolve(heldResolve, "provider incident over", "dave"));

        incident("pending_trigger", pending, "critical, PagerDuty down (503): trigger pending after 3 attempts in the"
                + " invocation and 1 by the sweep (4), next attempt stored and indexed (delivery-due); escalation due"
                + " at T0+105 min (escalation-due), never swept");
        incident("pending_trigger_held_acknowledge", held, "high, acknowledged by carol while the trigger is pending:"
                + " trigger pending (3 attempts), acknowledge held pending (0 attempts)");
        incident("pending_trigger_held_acknowledge_and_resolve", heldResolve, "medium, acknowledged and resolved by"
                + " dave while the trigger is pending: status resolved, trigger pending, acknowledge and resolve held"
                + " pending");

        // A claim whose incident was never written: the invocation that claimed it died before recording it.
        clock.set(T0.plus(Duration.ofMinutes(100)));
        String orphanId = UUID.randomUUID().toString();
        var orphanAlert = normalise.apply(alert("critical", "inventory", "inventory sync stalled", "inventory/sync"),
                clock.instant());
        assertInstanceOf(DedupStore.Claim.Won.class,
                dedup.claim(orphanAlert.dedupKey(), orphanId, AlertCodec.encode(orphanAlert), clock.instant()));
        assertTrue(incidents.find(orphanId).isEmpty());
        claim("claim_without_incident", "inventory/sync", orphanId, "a claim won by an invocation that died before"
                + " paging and recording its incident (DedupStore.claim called alone): its incident item does not exist");

        // The daily summary of 2026-11-21 (08:00 UTC), sent: the ledger item.
        clock.set(Instant.parse("2026-11-21T08:00:00Z"));
        DailySummary.Result sent = summary.run(clock.instant());
        assertTrue(sent.sent(), String.valueOf(sent));
        add("summary_sent", "SUMMARY", "2026-11-21", "the daily summary ledger of 2026-11-21: state sent, with its"
                + " recipients, subject and figures");

        write();
    }

    // -------------------------------------------------------------------------------------------------------------

    private EscalationSweep emailSweep() {
        PagerDutyConfig noApiKey = new PagerDutyConfig() {
            @Override
            public Optional<String> enabled() {
                return pagerDutyConfig.enabled();
            }

            @Override
            public Optional<String> integrationKey() {
                return pagerDutyConfig.integrationKey();
            }

            @Override
            public Optional<String> apiKey() {
                return Optional.empty();
            }

            @Override
            public Optional<String> webhookSecret() {
                return pagerDutyConfig.webhookSecret();
            }
        };
        Settings withoutApiKey = new Settings(alertConfig, maintenanceConfig, noApiKey, tocsinConfig);
        return new EscalationSweep(incidents, new EscalationAction(rest, email, withoutApiKey, escalationConfig),
                settings, escalationConfig);
    }

    private JsonNode deliverWebhook(String type, String incidentId, String webhookId) {
        ObjectNode root = Fixtures.JSON.createObjectNode();
        ObjectNode event = root.putObject("event");
        event.put("id", "01FIXTURE" + webhookId.hashCode());
        event.put("event_type", type);
        event.put("resource_type", "incident");
        event.put("occurred_at", clock.instant().toString());
        event.putObject("agent").put("id", "PABC123").put("type", "user_reference").put("summary", "Carol Oncall");
        ObjectNode data = event.putObject("data");
        data.put("id", "Q1FIXTURE");
        data.put("type", "incident");
        data.put("status", "acknowledged");
        data.put("incident_key", incidentId);
        data.put("title", "TLS certificate expires in 20 days");
        String body = root.toString();
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("X-PagerDuty-Signature", WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8),
                WEBHOOK_SECRET));
        headers.put("X-Webhook-Id", webhookId);
        return webhook.webhook(HttpEvents.request("POST", "/pagerduty/webhook", Map.of(), headers, body));
    }

    private static ObjectNode alert(String severity, String source, String title, String dedupKey) {
        ObjectNode alert = json("severity", severity, "source", source, "title", title);
        if (dedupKey != null) {
            alert.put("dedup_key", dedupKey);
        }
        return alert;
    }

    private static ObjectNode json(String... pairs) {
        ObjectNode node = Fixtures.JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node;
    }

    private String created(ObjectNode alert) {
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, alert.toString().length()))
                .incidentId();
    }

    private static void applied(IncidentStore.Transition transition) {
        assertInstanceOf(IncidentStore.Transition.Applied.class, transition);
    }

    private void incident(String name, String id, String what) {
        IncidentStatus status = incidents.find(id).orElseThrow(() -> new AssertionError(name + " not stored")).status();
        add(name, IncidentStore.partitionKey(id), IncidentStore.SK_META, status.wire() + ": " + what);
    }

    private void claim(String name, String dedupKey, String incidentId, String what) {
        put(name, new Case(DedupStore.partitionKey(dedupKey), "CLAIM", what, incidentId));
    }

    private void add(String name, String pk, String sk, String what) {
        put(name, new Case(pk, sk, what, null));
    }

    private void put(String name, Case c) {
        if (cases.put(name, c) != null) {
            throw new IllegalStateException("case named twice: " + name);
        }
    }

    private void write() throws Exception {
        var items = Fixtures.scan(dynamo, DynaliteResource.TABLE);
        for (Case c : cases.values()) {
            assertTrue(items.stream().anyMatch(i -> i.get("pk").s().equals(c.pk()) && i.get("sk").s().equals(c.sk())),
                    "no item " + c);
        }
        Fixtures.write(items, DIR.resolve("items.json"));

        ObjectNode index = Fixtures.JSON.createObjectNode();
        index.put("captured_from", CAPTURED_FROM);
        index.put("scenario_t0", T0.toString());
        ObjectNode byName = index.putObject("cases");
        cases.forEach((name, c) -> {
            ObjectNode entry = byName.putObject(name).put("pk", c.pk()).put("sk", c.sk()).put("what", c.what());
            if (c.incidentId() != null) {
                entry.put("incident_id", c.incidentId());
            }
        });
        Files.writeString(DIR.resolve("cases.json"), Fixtures.JSON.writeValueAsString(index) + "\n",
                StandardCharsets.UTF_8);

        List<String> others = new ArrayList<>();
        for (var item : items) {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (cases.values().stream().noneMatch(c -> c.pk().equals(pk) && c.sk().equals(sk))) {
                String holder = item.containsKey("incident_id") ? " (incident_id " + item.get("incident_id").s() + ")" : "";
                others.add("`" + pk + "` / `" + sk + "`" + holder);
            }
        }
        Files.writeString(DIR.resolve("README.md"), readme(items.size(), others), StandardCharsets.UTF_8);
    }

    private String readme(int count, List<String> others) {
        StringBuilder md = new StringBuilder();
        md.append("# Items in the previous format (v1)\n\n")
                .append("`items.json` is every item of a Tocsin table (a Scan, sorted by `pk`, `sk`) as DynamoDB JSON,")
                .append(" in the shape of `aws dynamodb scan` output (`{\"Items\":[…]}`; `S`, `N`, `B` as base64, `SS`,")
                .append(" `M`, `L`). It was written by the code of commit `").append(CAPTURED_FROM)
                .append("` — the code before the delivery-guarantees rewrite (issue 10) — driven through its real code")
                .append(" paths: the ingest pipeline, acknowledge/resolve, the escalation and redelivery sweeps, the")
                .append(" PagerDuty webhook, the maintenance and daily-summary functions, with a moved clock (the")
                .append(" scenario starts at T0 = ").append(T0).append("), PagerDuty faked by WireMock (202, then 400,")
                .append(" then 503) and a real SMTP server (GreenMail). ").append(count).append(" items.\n\n")
                .append("`cases.json` names each case and the key of its item (machine-readable; the tests look items")
                .append(" up by case name). `io.tocsin.upgrade.Fixtures.load(DynamoDbClient, table, path)` puts them")
                .append(" into a table.\n\n")
                .append("Regenerate only from a tree whose main code is that of the commit to capture (the commit that")
                .append(" added these files changed nothing but test code on top of ").append(CAPTURED_FROM)
                .append("); the ids are random, so every run writes new files:\n\n")
                .append("```sh\n./mvnw test -Dtest=CaptureV1Fixtures -Dcapture.fixtures=true\n```\n\n")
                .append("| case | pk | sk | what |\n|---|---|---|---|\n");
        cases.forEach((name, c) -> md.append("| `").append(name).append("` | `").append(c.pk()).append("` | `")
                .append(c.sk()).append("` | ").append(c.what())
                .append(c.incidentId() == null ? "" : " (incident_id `" + c.incidentId() + "`)").append(" |\n"));
        md.append("\nThe other items are the dedup claims the scenario's alerts wrote (`DEDUP#<key>` / `CLAIM`, one per")
                .append(" incident created through ingest, each with its incident written):\n\n");
        others.forEach(o -> md.append("- ").append(o).append("\n"));
        return md.toString();
    }
}
