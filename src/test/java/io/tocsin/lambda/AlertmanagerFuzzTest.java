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

/** alertmanager fuzzed: version 4 notifications, direct, on the IAM route and on the token route. */
@QuarkusTest
@TestProfile(Exports.Alertmanager.class)
class AlertmanagerFuzzTest extends FuzzTestBase {

    static ObjectNode notification(String status, String fingerprint) {
        return object("version", "4", "groupKey", "{}:{alertname=\"HighErrorRate\"}", "status", status,
                "receiver", "tocsin", "groupLabels", Map.of("alertname", "HighErrorRate"),
                "commonLabels", Map.of("alertname", "HighErrorRate", "severity", "critical"),
                "commonAnnotations", Map.of(), "externalURL", "http://alertmanager:9093", "truncatedAlerts", 0,
                "alerts", List.of(Map.of("status", status, "labels", Map.of("alertname", "HighErrorRate",
                        "severity", "critical", "job", "api", "instance", "api-1:9100"),
                        "annotations", Map.of("summary", "5xx above 5 %", "description", "error rate 7 %"),
                        "startsAt", "2026-11-30T10:00:00Z", "endsAt", "0001-01-01T00:00:00Z",
                        "generatorURL", "http://prometheus:9090/graph", "fingerprint", fingerprint),
                        Map.of("status", status, "labels", Map.of("alertname", "DiskFull", "severity", "warning"),
                                "annotations", Map.of("summary", "disk"), "startsAt", "2026-11-30T10:00:00Z")));
    }

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        String token = bearerToken(TokenRoute.ALERTMANAGER);
        fuzz(run("alertmanager", List.of(notification("firing", "a1b2c3d4e5f60718"),
                notification("resolved", "a1b2c3d4e5f60718"), notification("firing", "0f0e0d0c0b0a0908")),
                List.of(FuzzRun.Route.of("POST", "/alertmanager"), FuzzRun.Route.of("POST", "/hooks/alertmanager")
                        .withHeaders(body -> Map.of("authorization", token)))).padding("receiver"));
    }
}
