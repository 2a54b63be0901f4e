package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code escalation-sweep} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.EscalationSweep.class)
class EscalationSweepLambdaTest {

    @Test
    void theSampleIsAnswered() throws Exception {
        JsonNode answer = LambdaCalls.invoke(EvaluateLambdaTest.sample("escalation-sweep/scheduled-event.json"));
        assertTrue(answer.path("escalated").isArray(), answer.toString());
        assertTrue(answer.path("redelivery").has("sent"), answer.toString());
    }
}
