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

/** grafana fuzzed: Grafana alerting webhooks (version 1), direct and on the token route. */
@QuarkusTest
@TestProfile(FuzzTestBase.GrafanaProfile.class)
class GrafanaFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        String token = bearerToken(TokenRoute.GRAFANA);
        List<ObjectNode> seeds = new ArrayList<>();
        for (String status : List.of("firing", "resolved")) {
            seeds.add(object("receiver", "tocsin", "status", status, "orgId", 1, "version", "1",
                    "groupKey", "{}/{}:{}", "truncatedAlerts", 0, "state", "alerting", "title", "[FIRING:1] latency",
                    "message", "p99 above 2 s", "externalURL", "https://grafana.example.com/",
                    "alerts", List.of(Map.of("status", status, "labels", Map.of("alertname", "Checkout latency",
                            "severity", "critical", "grafana_folder", "checkout", "job", "checkout-api"),
                            "annotations", Map.of("summary", "p99 2.3 s"), "startsAt", "2026-11-30T10:00:00Z",
                            "endsAt", "0001-01-01T00:00:00Z", "values", Map.of("B", 2.3, "C", 1),
                            "valueString", "[ var='B' value=2.3 ]", "fingerprint", "7d1e5a0c3b9f4e26",
                            "dashboardURL", "https://grafana.example.com/d/x", "panelURL", "https://grafana.example.com/d/x?viewPanel=2"))));
        }
        fuzz(run("grafana", seeds, List.of(FuzzRun.Route.of("POST", "/hooks/grafana")
                .withHeaders(body -> Map.of("authorization", token)))).padding("message"));
    }
}
