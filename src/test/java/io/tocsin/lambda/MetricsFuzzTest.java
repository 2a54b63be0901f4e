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

/** metrics fuzzed, direct and on GET /metrics. */
@QuarkusTest
@TestProfile(Exports.Metrics.class)
class MetricsFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        for (int i = 0; i < 5; i++) {
            newIncident("critical");
        }
        fuzz(run("metrics", List.of(object("from", "2026-11-01T00:00:00Z", "to", "2026-11-30T00:00:00Z"), object(),
                object("to", "2026-12-01T00:00:00+01:00")), List.of(FuzzRun.Route.of("GET", "/metrics")))
                .padding("to"));
    }
}
