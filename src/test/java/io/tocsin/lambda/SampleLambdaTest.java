package io.tocsin.lambda;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function whose only Lambda-path test is its {@code events/} sample: the subclass names the export (its
 * {@code @TestProfile}), the sample and what the answer must say.
 */
abstract class SampleLambdaTest {

    abstract String sample();

    abstract void check(JsonNode answer);

    @Test
    void theSampleIsAnsweredThroughTheLambdaPath() throws Exception {
        check(LambdaCalls.invoke(EvaluateLambdaTest.sample(sample())));
    }
}
