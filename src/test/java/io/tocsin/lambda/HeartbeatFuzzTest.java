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

/** heartbeat fuzzed: ping, create, list, delete, direct and on its four routes. */
@QuarkusTest
@TestProfile(Exports.Heartbeat.class)
class HeartbeatFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        fuzz(run("heartbeat", List.of(object("name", "nightly-backup"),
                object("action", "create", "name", "job-1", "interval", "1d", "grace", "1h", "severity", "high"),
                object("action", "list"), object("action", "delete", "name", "job-1"),
                object("name", "watchdog", "status", "firing")),
                List.of(FuzzRun.Route.of("POST", "/heartbeats/job-1/ping").withPathParameters(Map.of("name", "job-1")),
                        FuzzRun.Route.of("PUT", "/heartbeats/job-2").withPathParameters(Map.of("name", "job-2")),
                        FuzzRun.Route.of("GET", "/heartbeats"),
                        FuzzRun.Route.of("DELETE", "/heartbeats/job-2").withPathParameters(Map.of("name", "job-2"))))
                .padding("name"));
    }
}
