package io.tocsin.support;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** API Gateway HTTP API (payload 2.0) events for tests, and reading their answers. */
public final class HttpEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The principal of the IAM-authorised requests {@link #request} builds. */
    public static final String IAM_PRINCIPAL = "arn:aws:sts::123456789012:assumed-role/tocsin-responder/alice";

    private HttpEvents() {
    }

    public static ObjectNode request(String method, String path, Map<String, String> pathParameters,
            Map<String, String> headers, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        ObjectNode h = event.putObject("headers");
        h.put("content-type", "application/json");
        headers.forEach(h::put);
        ObjectNode p = event.putObject("pathParameters");
        pathParameters.forEach(p::put);
        ObjectNode context = event.putObject("requestContext");
        context.putObject("http").put("method", method).put("path", path).put("sourceIp", "203.0.113.7");
        context.put("requestId", UUID.randomUUID().toString());
        if (!path.startsWith("/hooks/") && !path.equals("/pagerduty/webhook")) {
            // an IAM-authorised route: API Gateway puts the signer's principal here (functions refuse the request
            // without it, issue 23)
            context.putObject("authorizer").putObject("iam").put("accountId", "123456789012")
                    .put("userArn", IAM_PRINCIPAL);
        }
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    public static ObjectNode post(String path, Map<String, String> pathParameters, String body) {
        return request("POST", path, pathParameters, new HashMap<>(), body);
    }

    public static int status(JsonNode answer) {
        return answer.path("statusCode").asInt();
    }

    public static JsonNode body(JsonNode answer) {
        try {
            return JSON.readTree(answer.path("body").asText());
        } catch (Exception e) {
            throw new AssertionError("answer body is not JSON: " + answer, e);
        }
    }
}
