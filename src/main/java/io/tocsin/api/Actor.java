package io.tocsin.api;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Who made a request, as AWS authenticated it (issue 23): recorded next to any name the caller typed
 * ({@code acknowledged_by}, {@code created_by}…), never taken from the body.
 * <ul>
 * <li>An API Gateway request on an IAM-authorised route: the principal's ARN, from the authorizer context
 * ({@code requestContext.authorizer.iam.userArn} on the HTTP API, payload 2.0; {@code requestContext.identity.userArn}
 * on a REST API, payload 1.0), e.g. {@code arn:aws:sts::123456789012:assumed-role/oncall/alice}.</li>
 * <li>A request through a token route: {@code token:<id>} ({@link #token}).</li>
 * <li>A direct invocation (not an API Gateway event): Lambda checked {@code lambda:InvokeFunction}, but passes no
 * caller identity to the function: {@value #DIRECT_INVOKE}. The local run calls the functions this way too.</li>
 * </ul>
 * An API Gateway event without an authorizer context on a route that is not a token route cannot have come through
 * the IAM-authorised API: it is refused ({@link #refusal()}, 403) rather than served as an anonymous caller.
 */
public record Actor(String id) {

    /** The actor of a direct invocation (and of the local run, which calls functions as direct invocations). */
    public static final String DIRECT_INVOKE = "direct-invoke";
    /** What is stored of an actor: IAM ARNs are at most 2,048 characters; stored ones are cut here (with a marker). */
    public static final int MAX_CHARS = 255;

    public static final Actor DIRECT = new Actor(DIRECT_INVOKE);
    /** A request through a token route whose function checked the token and did not name it here. */
    public static final Actor TOKEN_ROUTE = new Actor("token-route");

    public static Actor token(String tokenId) {
        return new Actor("token:" + tokenId);
    }

    /**
     * The actor of an event: {@link #DIRECT} for a direct invocation; for an API Gateway event, its IAM principal,
     * or empty when the event carries none (refuse it).
     */
    public static Optional<Actor> of(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            return Optional.of(DIRECT);
        }
        JsonNode context = event.path("requestContext");
        String arn = context.path("authorizer").path("iam").path("userArn").asText("");
        if (arn.isBlank()) {
            arn = context.path("identity").path("userArn").asText("");
        }
        return arn.isBlank() ? Optional.empty() : Optional.of(new Actor(arn.trim()));
    }

    /** The id as stored: at most {@link #MAX_CHARS} characters (a longer ARN is cut, ending in "…"). */
    public String stored() {
        return id.length() <= MAX_CHARS ? id : id.substring(0, MAX_CHARS - 1) + "…";
    }

    /** The 403 answer to an API Gateway event without an authorizer context. */
    public static Answer missing() {
        return Answer.error(403, "forbidden", List.of(new Problem("requestContext.authorizer",
                "is missing: this route is IAM-authorised (SigV4), and the request carries no authenticated "
                        + "principal; call it through the API with IAM credentials, or invoke the function directly")));
    }

    /** {@link #missing()} as an API Gateway proxy response. */
    public static ObjectNode refusal() {
        Answer answer = missing();
        return ApiGateway.response(answer.status(), answer.body());
    }
}
