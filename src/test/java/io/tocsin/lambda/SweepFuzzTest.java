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

/** escalation-sweep fuzzed: it takes any scheduled event; whatever comes, the sweep runs and answers. */
@QuarkusTest
@TestProfile(Exports.EscalationSweep.class)
class SweepFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        for (int i = 0; i < 5; i++) {
            newIncident("critical");
        }
        fuzz(run("escalation-sweep", List.of(object("version", "0", "id", "5c2f0a4e-fuzz", "detail-type",
                "Scheduled Event", "source", "aws.events", "account", "111122223333", "time", "2026-11-30T10:00:00Z",
                "region", "eu-west-1", "resources", List.of("arn:aws:events:eu-west-1:111122223333:rule/sweep"),
                "detail", Map.of())), List.of(FuzzRun.Route.of("POST", "/sweep"))).padding("id"), false);
    }
}
