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

/** evaluate fuzzed: metric samples, direct and on POST /evaluate. */
@QuarkusTest
@TestProfile(Exports.Evaluate.class)
class EvaluateFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        fuzz(run("evaluate", List.of(
                object("source", "checkout-api", "error_rate", 0.07, "api_p99_ms", 2300, "disk_usage", 0.62,
                        "memory_usage", 0.91),
                object("source", "db-7", "slow_query_ms", 150), object("source", "quiet", "error_rate", 0.001)),
                List.of(FuzzRun.Route.of("POST", "/evaluate"))).padding("source"));
    }
}
