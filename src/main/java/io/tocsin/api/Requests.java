package io.tocsin.api;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Runs a function's handler on either form of call: a direct invocation (the event is the input, the answer's body
 * is returned) or an API Gateway proxy request (the JSON body, with path and query parameters merged in, is the
 * input; the answer becomes a proxy response with its status).
 */
public final class Requests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    public static JsonNode handle(JsonNode event, Function<JsonNode, Answer> handler) {
        return handle(event, (input, actor) -> handler.apply(input));
    }

    /**
     * As {@link #handle(JsonNode, Function)}, but the input is the body alone: for webhooks, whose body is the
     * sender's (and may be signed), so that no query parameter can replace one of its fields.
     */
    public static JsonNode handleBody(JsonNode event, Function<JsonNode, Answer> handler) {
        return handle(event, (input, actor) -> handler.apply(input), false);
    }

    /**
     * As {@link #handle(JsonNode, Function)}, giving the handler the caller ({@link Actor}); an API Gateway event
     * without an authorizer context is refused (403) before the handler runs, unless it came through a token route
     * (whose function checked the token before calling this).
     */
    public static JsonNode handle(JsonNode event, BiFunction<JsonNode, Actor, Answer> handler) {
        return handle(event, handler, true);
    }

    private static JsonNode handle(JsonNode event, BiFunction<JsonNode, Actor, Answer> handler,
            boolean withParameters) {
        if (!ApiGateway.isProxyEvent(event)) {
            if (event == null || !event.isObject()) {
                return Answer.invalid(List.of(new Problem("(event)", "must be a JSON object"))).body();
            }
            return handler.apply(event, Actor.DIRECT).body();
        }
        java.util.Optional<Actor> actor = Actor.of(event);
        boolean tokenRoute = ApiGateway.isTokenRouteKey(ApiGateway.routeKeyOf(event));
        if (actor.isEmpty() && !tokenRoute) {
            return Actor.refusal();
        }
        ApiGateway.HttpRequest request = ApiGateway.request(event);
        if (request.bodyProblem() != null) {
            return request.unreadableBody();
        }
        ObjectNode input;
        if (request.body().length == 0) {
            input = JSON.createObjectNode();
        } else {
            JsonNode parsed = ApiGateway.parseJson(request.body());
            if (parsed == null) {
                return ApiGateway.malformedJson(request.body());
            }
            if (!parsed.isObject()) {
                Answer answer = Answer.invalid(List.of(new Problem("(body)", "must be a JSON object")));
                return ApiGateway.response(answer.status(), answer.body());
            }
            input = (ObjectNode) parsed;
        }
        if (withParameters) {
            event.path("queryStringParameters").fields().forEachRemaining(q -> input.set(q.getKey(), q.getValue()));
            event.path("pathParameters").fields().forEachRemaining(p -> input.set(p.getKey(), p.getValue()));
        }
        // a token route's function has checked its token (TokenGate) before handing the request here
        Answer answer = handler.apply(input, actor.orElse(Actor.TOKEN_ROUTE));
        return ApiGateway.response(answer.status(), answer.body());
    }

    /**
     * The event's {@code queryStringParameters} object, to add a parameter to (an API Gateway event without one, or
     * with a value of another type, gets an empty object; API Gateway itself only ever sends an object or nothing).
     */
    public static ObjectNode query(ObjectNode event) {
        if (!event.path("queryStringParameters").isObject()) {
            event.putObject("queryStringParameters");
        }
        return (ObjectNode) event.get("queryStringParameters");
    }

    /** A required, non-blank string of at most {@code maxChars}; adds a problem and returns null otherwise. */
    public static String requiredText(JsonNode input, String field, int maxChars, List<Problem> problems) {
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            problems.add(new Problem(field, "is required"));
            return null;
        }
        return text(node, field, maxChars, problems);
    }

    /** An optional string of at most {@code maxChars}; null when absent. */
    public static String optionalText(JsonNode input, String field, int maxChars, List<Problem> problems) {
        JsonNode node = input.get(field);
        return node == null || node.isNull() ? null : text(node, field, maxChars, problems);
    }

    /** An optional ISO-8601 time with a zone offset, as a UTC instant; null when absent or wrong (with a problem). */
    public static java.time.Instant optionalInstant(JsonNode input, String field, List<Problem> problems) {
        String text = optionalText(input, field, 64, problems);
        return text == null ? null : instant(text, field, problems);
    }

    /** A required ISO-8601 time with a zone offset, as a UTC instant. */
    public static java.time.Instant requiredInstant(JsonNode input, String field, List<Problem> problems) {
        String text = requiredText(input, field, 64, problems);
        return text == null ? null : instant(text, field, problems);
    }

    private static java.time.Instant instant(String text, String field, List<Problem> problems) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.DateTimeException e) {
            problems.add(new Problem(field, "must be an ISO-8601 time with a zone offset, such as "
                    + "2026-11-27T02:00:00Z or 2026-11-27T03:00:00+01:00; got '" + text + "'"));
            return null;
        }
    }

    private static String text(JsonNode node, String field, int maxChars, List<Problem> problems) {
        if (!node.isTextual()) {
            problems.add(new Problem(field, "must be a string, got " + node.getNodeType().name().toLowerCase()));
            return null;
        }
        String text = node.asText().trim();
        if (text.isEmpty()) {
            problems.add(new Problem(field, "must not be blank"));
            return null;
        }
        if (text.length() > maxChars) {
            problems.add(new Problem(field, "is " + text.length() + " characters; at most " + maxChars + " are accepted"));
            return null;
        }
        return text;
    }
}
