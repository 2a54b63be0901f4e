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

/** dashboard fuzzed, direct and on GET /dashboard (HTML). */
@QuarkusTest
@TestProfile(Exports.Dashboard.class)
class DashboardFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        for (int i = 0; i < 5; i++) {
            newIncident(i % 2 == 0 ? "critical" : "low");
        }
        fuzz(run("dashboard", List.of(object("status", "triggered", "severity", "high", "source", "db-7"), object(),
                object("status", "resolved,acknowledged")), List.of(FuzzRun.Route.of("GET", "/dashboard")))
                .padding("source"));
    }
}
