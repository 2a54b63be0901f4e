package io.tocsin.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.FuzzRun;

@QuarkusTest
@TestProfile(Exports.Resolve.class)
class ResolveFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        List<ObjectNode> seeds = new ArrayList<>();
        List<FuzzRun.Route> routes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = newIncident(i % 2 == 0 ? "critical" : "low");
            seeds.add(object("incident_id", id, "resolution_notes", "restarted the pool", "resolved_by", "bob"));
            routes.add(FuzzRun.Route.of("POST", "/incidents/" + id + "/resolve")
                    .withPathParameters(Map.of("incident_id", id)));
        }
        fuzz(run("resolve", seeds, routes).padding("resolution_notes"));
    }
}
