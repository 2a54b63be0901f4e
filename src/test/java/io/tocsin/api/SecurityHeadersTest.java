package io.tocsin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Every proxy answer is built by {@link ApiGateway#response} or {@link ApiGateway#htmlResponse} (functions answer
 * through them, the token gate's 401 too): each carries no-store, nosniff and a content security policy.
 */
class SecurityHeadersTest {

    private static void secured(JsonNode response, String policyStart) {
        JsonNode headers = response.path("headers");
        assertEquals("no-store", headers.path("cache-control").asText(), response.toString());
        assertEquals("nosniff", headers.path("x-content-type-options").asText(), response.toString());
        String policy = headers.path("content-security-policy").asText();
        assertTrue(policy.startsWith(policyStart), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
        assertTrue(!policy.contains("script-src"), "no script may run: " + policy);
    }

    @Test
    void jsonAnswersAndErrorsCarryTheHeaders() {
        secured(ApiGateway.response(200, JsonNodeFactory.instance.objectNode()), "default-src 'none'");
        JsonNode withExtra = ApiGateway.response(401, JsonNodeFactory.instance.objectNode(),
                Map.of("www-authenticate", "Bearer realm=\"tocsin\""));
        secured(withExtra, "default-src 'none'");
        assertEquals("Bearer realm=\"tocsin\"", withExtra.path("headers").path("www-authenticate").asText());
        secured(ApiGateway.malformedJson(new byte[0]), "default-src 'none'");
    }

    @Test
    void htmlPagesCarryThemWithTheirInlineStyleAllowed() {
        JsonNode page = ApiGateway.htmlResponse(200, "<html></html>");
        secured(page, "default-src 'none'; style-src 'unsafe-inline'");
        assertEquals("text/html; charset=utf-8", page.path("headers").path("content-type").asText());
    }
}
