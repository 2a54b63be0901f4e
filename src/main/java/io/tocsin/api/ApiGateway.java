package io.tocsin.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API Gateway side of a function: recognises a proxy event (HTTP API payload 2.0, or REST API payload 1.0),
 * gives its method, headers and raw body, and builds the proxy response ({@code statusCode, headers, body}).
 */
public final class ApiGateway {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiGateway() {
    }

    /**
     * An HTTP request as API Gateway delivered it; header names are lower-cased. {@code bodyProblem} is set (and
     * {@code body} empty) when the body cannot be read at all: marked {@code isBase64Encoded} but not base64.
     */
    public record HttpRequest(String method, String path, Map<String, String> headers,
            Map<String, String> queryParameters, byte[] body, Problem bodyProblem) {

        public HttpRequest(String method, String path, Map<String, String> headers,
                Map<String, String> queryParameters, byte[] body) {
            this(method, path, headers, queryParameters, body, null);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The 400 proxy response for a body that cannot be read ({@link #bodyProblem} set). */
        public ObjectNode unreadableBody() {
            return response(400, Answer.error(400, "malformed_body", List.of(bodyProblem)).body());
        }
    }

    /**
     * The path prefix of the token routes (io.tocsin.token.TokenRoute): public at API Gateway, each served by a
     * function that checks the webhook token itself; every other route is IAM-authorised.
     */
    public static final String TOKEN_ROUTE_PREFIX = "/hooks/";

    /**
     * The route key of an API Gateway proxy event: {@code routeKey} of an HTTP API event (payload 2.0), else the
     * method and resource of a REST API event (payload 1.0); empty when the event carries neither.
     */
    public static String routeKeyOf(JsonNode event) {
        String routeKey = event.path("routeKey").asText(event.path("requestContext").path("routeKey").asText(""));
        if (routeKey.isBlank() && event.has("httpMethod")) {
            routeKey = event.path("httpMethod").asText() + " " + event.path("resource").asText("");
        }
        return routeKey.trim();
    }

    /** Whether a route key is a token route's (any of them): such a request is authenticated by its token. */
    public static boolean isTokenRouteKey(String routeKey) {
        int space = routeKey.indexOf(' ');
        String path = space < 0 ? routeKey : routeKey.substring(space + 1);
        return path.startsWith(TOKEN_ROUTE_PREFIX);
    }

    public static boolean isProxyEvent(JsonNode event) {
        return event != null && event.isObject() && event.path("requestContext").isObject()
                && (event.has("rawPath") || event.has("routeKey") || event.has("httpMethod"));
    }

    public static HttpRequest request(JsonNode event) {
        String method = event.has("httpMethod") ? event.path("httpMethod").asText()
                : event.path("requestContext").path("http").path("method").asText("POST");
        String path = event.has("rawPath") ? event.path("rawPath").asText() : event.path("path").asText("/");
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").fields().forEachRemaining(
                h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
        Map<String, String> query = new LinkedHashMap<>();
        event.path("queryStringParameters").fields().forEachRemaining(q -> query.put(q.getKey(), q.getValue().asText()));
        JsonNode bodyNode = event.get("body");
        byte[] body;
        if (bodyNode == null || bodyNode.isNull()) {
            body = new byte[0];
        } else if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                // API Gateway encodes with the standard alphabet (RFC 4648 section 4), no line breaks
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException notBase64) {
                return new HttpRequest(method, path, headers, query, new byte[0], new Problem("body",
                        "is marked isBase64Encoded but is not base64: " + notBase64.getMessage()));
            }
        } else {
            body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        return new HttpRequest(method, path, headers, query, body, null);
    }

    /** The body as JSON, or null when it is empty or not JSON (the caller answers {@link #malformedJson}). */
    public static JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    public static ObjectNode response(int statusCode, JsonNode body) {
        return response(statusCode, body, Map.of());
    }

    /**
     * On every answer through API Gateway: not cached anywhere (incidents, tokens and errors are private and change),
     * never sniffed as another type (OWASP Secure Headers Project).
     */
    static final Map<String, String> COMMON_HEADERS = Map.of("cache-control", "no-store",
            "x-content-type-options", "nosniff");
    /** A JSON answer loads nothing and may not be framed. */
    static final String JSON_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /**
     * The dashboard's pages: their one inline style block and inline SVG charts, GET filter forms to the same page,
     * no script, nothing fetched from anywhere.
     */
    static final String HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static ObjectNode headers(ObjectNode response, String contentType, String policy) {
        ObjectNode h = response.putObject("headers").put("content-type", contentType);
        COMMON_HEADERS.forEach(h::put);
        h.put("content-security-policy", policy);
        return h;
    }

    /** A JSON proxy response with extra headers (lower-case names), e.g. {@code www-authenticate} on a 401. */
    public static ObjectNode response(int statusCode, JsonNode body, Map<String, String> headers) {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", statusCode);
        ObjectNode h = headers(response, "application/json", JSON_POLICY);
        headers.forEach(h::put);
        response.put("body", body.toString());
        response.put("isBase64Encoded", false);
        return response;
    }

    /** A proxy response carrying an HTML page ({@code text/html; charset=utf-8}). */
    public static ObjectNode htmlResponse(int statusCode, String html) {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", statusCode);
        headers(response, "text/html; charset=utf-8", HTML_POLICY);
        response.put("body", html);
        response.put("isBase64Encoded", false);
        return response;
    }

    /** 400 for a body that is empty or not JSON: {@code {"error":"malformed_json","problems":[…]}}. */
    public static ObjectNode malformedJson(byte[] body) {
        return response(400, error("malformed_json", "(body)",
                body.length == 0 ? "is empty; send a JSON object" : "is not valid JSON"));
    }

    /** {@code {"error":code,"problems":[{"field":field,"message":message}]}} */
    public static ObjectNode error(String code, String field, String message) {
        return Answer.error(400, code, java.util.List.of(new Problem(field, message))).body();
    }

    /** The size in bytes of an event as it would be sent (for limits on directly invoked events). */
    public static long sizeOf(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event).length;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
