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

/** daily-summary fuzzed: it takes any scheduled event; it mails once a day, whatever comes. */
@QuarkusTest
@TestProfile(FuzzTestBase.DailySummaryProfile.class)
class DailySummaryFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        newIncident("critical");
        fuzz(run("daily-summary", List.of(object("version", "0", "id", "9d1e-fuzz", "detail-type",
                "Scheduled Event", "source", "aws.events", "time", "2026-11-30T07:00:00Z", "detail", Map.of())),
                List.of(FuzzRun.Route.of("POST", "/daily-summary"))).padding("id"), false);
    }
}
