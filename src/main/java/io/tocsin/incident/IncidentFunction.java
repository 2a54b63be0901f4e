package io.tocsin.incident;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.ApiGateway;

/**
 * The {@code incident} function: one incident by id. Directly: {@code {"incident_id":"…"}}; over API Gateway:
 * {@code GET /incidents/{incident_id}} (200, 404).
 */
public class IncidentFunction {

    @Inject
    IncidentStore incidents;

    @Funq("incident")
    public JsonNode incident(JsonNode event) {
        if (ApiGateway.isProxyEvent(event)) {
            String id = event.path("pathParameters").path("incident_id").asText("");
            if (id.isBlank()) {
                return ApiGateway.response(400, ApiGateway.error("invalid_request", "incident_id",
                        "is required in the path /incidents/{incident_id}"));
            }
            return incidents.find(id).<JsonNode>map(i -> ApiGateway.response(200, IncidentJson.of(i)))
                    .orElseGet(() -> ApiGateway.response(404, notFound(id)));
        }
        JsonNode id = event == null ? null : event.get("incident_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            return ApiGateway.error("invalid_request", "incident_id", "is required (a string)");
        }
        return incidents.find(id.asText()).<JsonNode>map(IncidentJson::of).orElseGet(() -> notFound(id.asText()));
    }

    private static JsonNode notFound(String id) {
        return ApiGateway.error("not_found", "incident_id", "no incident " + id);
    }
}
