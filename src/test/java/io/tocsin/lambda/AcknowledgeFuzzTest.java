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

/** acknowledge fuzzed, direct and on POST /incidents/{incident_id}/acknowledge. */
@QuarkusTest
@TestProfile(Exports.Acknowledge.class)
class AcknowledgeFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        List<ObjectNode> seeds = new ArrayList<>();
        List<FuzzRun.Route> routes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = newIncident(i % 2 == 0 ? "critical" : "medium");
            seeds.add(object("incident_id", id, "acknowledged_by", "alice"));
            routes.add(FuzzRun.Route.of("POST", "/incidents/" + id + "/acknowledge")
                    .withPathParameters(Map.of("incident_id", id)));
        }
        fuzz(run("acknowledge", seeds, routes).padding("acknowledged_by"));
    }
}
