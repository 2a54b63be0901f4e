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

/** tokens fuzzed: create, list, revoke, direct and on its three routes. */
@QuarkusTest
@TestProfile(Exports.Tokens.class)
class TokensFuzzTest extends FuzzTestBase {

    @Test
    void everyGeneratedInputEndsInASuccessOrA4xxNamingTheField() {
        fuzz(run("tokens", List.of(
                object("action", "create", "name", "ci", "routes", List.of("ingest", "grafana"), "source_prefix", "ci:",
                        "created_by", "alice"),
                object("action", "list"), object("action", "revoke", "id", "0123456789abcdef", "revoked_by", "bob")),
                List.of(FuzzRun.Route.of("POST", "/tokens"), FuzzRun.Route.of("GET", "/tokens"),
                        FuzzRun.Route.of("DELETE", "/tokens/0123456789abcdef")
                                .withPathParameters(Map.of("id", "0123456789abcdef")))).padding("name"));
    }
}
