package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code metrics} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.Metrics.class)
class MetricsLambdaTest extends SampleLambdaTest {

    @Override
    String sample() {
        return "metrics/direct.json";
    }

    @Override
    void check(JsonNode answer) {
        assertTrue(answer.path("total_incidents").isNumber(), answer.toString());
        assertTrue(answer.has("mttr_minutes") && answer.has("mtta_minutes"), answer.toString());
    }
}
