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

    public static Answer notFound(String field, String id) {
        return error(404, "not_found", List.of(new Problem(field, "no incident " + id)));
    }
}
