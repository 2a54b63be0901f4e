package io.tocsin.api;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/** A function's answer: the JSON body, and the HTTP status it has when the call came through API Gateway. */
public record Answer(int status, ObjectNode body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Answer ok(ObjectNode body) {
        return new Answer(200, body);
    }

    /** {@code {"error":code,"problems":[{"field":…,"message":…},…]}} */
    public static Answer error(int status, String code, List<Problem> problems) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        ArrayNode list = body.putArray("problems");
        problems.forEach(p -> list.addObject().put("field", p.field()).put("message", p.message()));
        return new Answer(status, body);
    }

    public static Answer invalid(List<Problem> problems) {
        return error(400, "invalid_request", problems);
    }

    /**
     * The HTTP status API Gateway answers a body of this shape with: 200 for an answer without an {@code "error"} code,
     * otherwise the status of its code ({@code invalid_*} and {@code malformed_json} 400, {@code unauthorized} 401,
     * {@code forbidden} 403, {@code not_found} 404, {@code conflict} and {@code heartbeat_limit} 409,
     * {@code payload_too_large} 413, {@code rate_limited} 429). The local run
     * answers a direct call with it, so that curl sees the status the API Gateway route gives.
     */
    public static int statusOf(com.fasterxml.jackson.databind.JsonNode body) {
        if (body == null || !body.isObject() || !body.path("error").isTextual()) {
            return 200;
        }
        String code = body.path("error").asText();
        return switch (code) {
            case "unauthorized" -> 401;
            case "forbidden" -> 403;
            case "not_found" -> 404;
            case "conflict", "heartbeat_limit" -> 409;
            case "payload_too_large" -> 413;
            case "rate_limited" -> 429;
            default -> 400; // invalid_request, invalid_alert, malformed_json, …
        };
    }

    public static Answer notFound(String field, String id) {
        return error(404, "not_found", List.of(new Problem(field, "no incident " + id)));
    }
}
