package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code rules} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.Rules.class)
class RulesLambdaTest {

    @Test
    void theSampleIsAnswered() throws Exception {
        JsonNode answer = LambdaCalls.invoke(EvaluateLambdaTest.sample("rules/direct.json"));
        assertEquals(14, answer.path("rules").size(), answer.toString());
    }
}
