package io.tocsin.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * PagerDuty faked at the HTTP boundary only: a WireMock server standing in for events.pagerduty.com. By default it
 * answers like the real Events API v2 (202 with status/message/dedup_key); tests stub faults and read the requests.
 */
public class PagerDutyFake implements QuarkusTestResourceLifecycleManager {

    public static final String ENQUEUE = "/v2/enqueue";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().globalTemplating(false)
                .templatingEnabled(true));
        server.start();
        reset();
        return Map.of("quarkus.rest-client.pagerduty-events.url", server.baseUrl(),
                "quarkus.rest-client.pagerduty-rest.url", server.baseUrl(),
                "quarkus.rest-client.pagerduty-events.read-timeout", "3000");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }

    /** Forget requests and stubs; answer every event with PagerDuty's 202. */
    public static void reset() {
        server.resetAll();
        server.stubFor(accepting());
        stubRestApi();
    }

    /** PagerDuty's REST API: every incident_key has incident "PD-<key>"; updates succeed. */
    public static void stubRestApi() {
        server.stubFor(get(urlPathEqualTo("/incidents")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"incidents\":[{\"id\":\"PD-{{request.query.incident_key}}\",\"type\":\"incident\"}]}")));
        server.stubFor(put(urlPathMatching("/incidents/.+")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"incident\":{}}")));
    }

    /** REST escalation updates received, as (PagerDuty incident id, body). */
    public static List<LoggedRequest> escalations() {
        return server.findAll(putRequestedFor(urlPathMatching("/incidents/.+")));
    }

    public static MappingBuilder accepting() {
        return post(urlEqualTo(ENQUEUE)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}"));
    }

    public static List<LoggedRequest> events() {
        return server.findAll(postRequestedFor(urlEqualTo(ENQUEUE)));
    }

    /** The bodies of the events received for PagerDuty dedup key {@code dedupKey}, oldest first. */
    public static List<JsonNode> eventsFor(String dedupKey) {
        return events().stream().map(PagerDutyFake::json)
                .filter(body -> dedupKey.equals(body.path("dedup_key").asText())).toList();
    }

    public static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("PagerDuty received a body that is not JSON: " + request.getBodyAsString(), e);
        }
    }
}
