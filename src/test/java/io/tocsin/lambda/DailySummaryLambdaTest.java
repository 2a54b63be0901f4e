package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code daily-summary} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.DailySummary.class)
class DailySummaryLambdaTest extends SampleLambdaTest {

    @Override
    String sample() {
        return "daily-summary/scheduled-event.json";
    }

    @Override
    void check(JsonNode answer) {
        // the test configuration has ALERT_SUMMARY_EMAIL_ENABLED=false (DailySummaryTest sends it for real)
        assertEquals(false, answer.path("sent").asBoolean(true), answer.toString());
        assertTrue(answer.path("reason").asText().startsWith("disabled: ALERT_SUMMARY_EMAIL_ENABLED is false"),
                answer.toString());
    }
}
