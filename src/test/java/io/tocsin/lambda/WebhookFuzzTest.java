package io.tocsin.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.FuzzRun;
import io.tocsin.token.TokenRoute;

/** pagerduty-webhook fuzzed: signed PagerDuty v3 webhooks (mostly validly signed), on POST /pagerduty/webhook. */
@QuarkusTest
@TestProfile(Exports.Webhook.class)
class WebhookFuzzTest extends FuzzTestBase {

    @jakarta.inject.Inject
    io.tocsin.config.SecretStore secrets;

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        List<ObjectNode> seeds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = newIncident("critical");
            String type = i % 2 == 0 ? "incident.acknowledged" : "incident.resolved";
            seeds.add(object("event", Map.of("id", "01F" + i, "event_type", type, "resource_type", "incident",
                    "occurred_at", "2026-11-30T10:00:00.000Z", "agent", Map.of("summary", "Alice Example",
                            "type", "user_reference"),
                    "data", Map.of("id", "PQ" + i, "status", type.substring(9), "incident_key", id, "title",
                            "fuzz target", "resolve_reason", Map.of("type", "merge_resolve_reason")))));
        }
        io.tocsin.config.Secret secret = secrets.list(io.tocsin.config.SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET).get(0);
        java.util.Random random = new java.util.Random(7);
        fuzz(run("pagerduty-webhook", seeds, List.of(FuzzRun.Route.of("POST", "/pagerduty/webhook").withHeaders(
                body -> random.nextInt(10) == 0 ? Map.of("x-pagerduty-signature", "v1=00ff")
                        : Map.of("x-pagerduty-signature", io.tocsin.pagerduty.WebhookSignature.sign(
                                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), secret),
                                "x-webhook-id", UUID.randomUUID().toString())))).padding("padding"));
    }
}
