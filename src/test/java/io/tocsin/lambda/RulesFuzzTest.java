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

/** rules fuzzed, direct and on GET /rules. */
@QuarkusTest
@TestProfile(Exports.Rules.class)
class RulesFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        fuzz(run("rules", List.of(object(), object("severity", "high"), object("name", "disk_usage_high")),
                List.of(FuzzRun.Route.of("GET", "/rules"))).padding("name"), false);
    }
}
