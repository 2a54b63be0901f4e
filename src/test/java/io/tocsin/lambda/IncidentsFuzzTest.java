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

/** incidents (history) fuzzed, direct and on GET /incidents. */
@QuarkusTest
@TestProfile(Exports.Incidents.class)
class IncidentsFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        for (int i = 0; i < 10; i++) {
            newIncident(i % 2 == 0 ? "critical" : "low");
        }
        fuzz(run("incidents", List.of(
                object("status", "triggered,acknowledged", "severity", "high", "source", "db-7", "limit", 20),
                object("status", List.of("resolved", "triggered"), "limit", "5", "from", "2026-11-01T00:00:00Z",
                        "to", "2026-11-30T00:00:00+01:00"),
                object(), object("cursor", "eyJwayI6IklOQyMxIn0", "limit", 1)),
                List.of(FuzzRun.Route.of("GET", "/incidents"))).padding("source"));
    }
}
