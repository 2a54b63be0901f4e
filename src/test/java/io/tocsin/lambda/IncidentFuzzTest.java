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

/** incident fuzzed, direct and on GET /incidents/{incident_id}. */
@QuarkusTest
@TestProfile(Exports.Incident.class)
class IncidentFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        List<ObjectNode> seeds = new ArrayList<>();
        List<FuzzRun.Route> routes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = newIncident("high");
            seeds.add(object("incident_id", id));
            routes.add(FuzzRun.Route.of("GET", "/incidents/" + id).withPathParameters(Map.of("incident_id", id)));
        }
        fuzz(run("incident", seeds, routes).padding("incident_id"));
    }
}
