package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code rules} through the real Funqy Lambda path, with its {@code events/} sample. */
@QuarkusTest
@TestProfile(Exports.Rules.class)
class RulesLambdaTest extends SampleLambdaTest {

    @Override
    String sample() {
        return "rules/direct.json";
    }

    @Override
    void check(JsonNode answer) {
        assertEquals(14, answer.path("rules").size(), answer.toString());
    }
}
