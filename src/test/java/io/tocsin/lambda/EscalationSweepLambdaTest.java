package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code escalation-sweep} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.EscalationSweep.class)
class EscalationSweepLambdaTest extends SampleLambdaTest {

    @Override
    String sample() {
        return "escalation-sweep/scheduled-event.json";
    }

    @Override
    void check(JsonNode answer) {
        assertTrue(answer.path("escalated").isArray(), answer.toString());
        assertTrue(answer.path("redelivery").has("sent"), answer.toString());
    }
}
