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

/** maintenance fuzzed: one-off and recurring windows (in 2030, for fuzz sources), list, delete. */
@QuarkusTest
@TestProfile(Exports.Maintenance.class)
class MaintenanceFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        fuzz(run("maintenance", List.of(
                object("action", "create", "start", "2030-11-27T02:00:00+01:00", "end", "2030-11-27T03:00:00Z",
                        "reason", "Postgres upgrade", "created_by", "alice", "sources", List.of("fuzz-db"),
                        "severities", List.of("high", "medium", "low")),
                object("action", "create", "reason", "weekly patching", "time_zone", "Europe/Berlin",
                        "rrule", "FREQ=WEEKLY;BYDAY=SU;COUNT=3", "start", "2030-12-01T02:00", "duration", "2h",
                        "sources", List.of("fuzz-db")),
                object("action", "list"), object("action", "delete", "id", "0b7c6a4e-0000-4000-8000-000000000000")),
                List.of(FuzzRun.Route.of("POST", "/maintenance"), FuzzRun.Route.of("GET", "/maintenance"),
                        FuzzRun.Route.of("DELETE", "/maintenance/0b7c6a4e-0000-4000-8000-000000000000")
                                .withPathParameters(Map.of("id", "0b7c6a4e-0000-4000-8000-000000000000"))))
                .padding("reason"));
    }
}
