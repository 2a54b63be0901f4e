package io.tocsin.lambda;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.support.FuzzRun;

/** oncall fuzzed: apply (dry run and real), export and the three reads, direct and on its two routes. */
@QuarkusTest
@TestProfile(Exports.OnCall.class)
class OnCallFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() throws IOException {
        ObjectNode apply = object("action", "apply", "dry_run", true);
        apply.set("document", OnCallLambdaTest.example());
        ObjectNode applyForReal = apply.deepCopy().put("dry_run", false);
        fuzz(run("oncall", List.of(apply, applyForReal, object("action", "export"),
                object("action", "now", "schedule", "primary", "at", "2026-03-08T12:00:00Z"),
                object("action", "now", "policy", "database"),
                object("action", "shifts", "schedule", "primary", "from", "2026-03-01T00:00:00Z",
                        "to", "2026-03-15T00:00:00Z"),
                object("action", "person", "id", "cat", "days", 14)),
                List.of(FuzzRun.Route.of("POST", "/oncall/apply"),
                        FuzzRun.Route.of("GET", "/oncall/now").withPathParameters(Map.of("action", "now")),
                        FuzzRun.Route.of("GET", "/oncall/shifts").withPathParameters(Map.of("action", "shifts")),
                        FuzzRun.Route.of("GET", "/oncall/person").withPathParameters(Map.of("action", "person")))));
    }
}
