package io.tocsin.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.api.Actor;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.notify.Texts;

/**
 * Checks the webhook token of a request that came through a token route ({@link TokenRoute}), inside the function
 * that serves the route: {@code Authorization: Bearer <token>}, or HTTP basic auth whose password is the token (the
 * user name is ignored). Cost per call: one strongly consistent GetItem of the token (none for a missing or malformed
 * header), plus one conditional UpdateItem of its last-used time at most once per {@link #LAST_USED_GRANULARITY}.
 * Nothing is cached, so a revoked token is refused from its next call on.
 *
 * <p>401: no token, not a token, unknown, wrong or revoked (one message for the last three, so that a caller learns
 * nothing about which ids exist). 403: a valid token that may not call this route.
 */
@Singleton
public class TokenGate {

    private static final Logger LOG = Logger.getLogger(TokenGate.class);
    public static final String HEADER = "authorization";
    /** Last-used times are recorded to the minute: a busy token costs one extra write a minute, not one per call. */
    public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    static final String REALM = "Bearer realm=\"tocsin\"";

    private final TokenStore store;
    private final Clock clock;
    private final TokenRateLimit rates;

    @Inject
    public TokenGate(TokenStore store, Clock clock, TokenRateLimit rates) {
        this.store = store;
        this.clock = clock;
        this.rates = rates;
    }

    public sealed interface Check {
        /** The call may go on, as {@code caller}. */
        record Allowed(Caller caller) implements Check {
        }

        /** The call is refused: answer with {@link #response()} and do nothing else. */
        record Refused(Answer answer, long retryAfterSeconds) implements Check {
            Refused(Answer answer) {
                this(answer, 0);
            }

            public JsonNode response() {
                if (answer.status() == 429) {
                    return ApiGateway.response(429, answer.body(),
                            java.util.Map.of("retry-after", Long.toString(retryAfterSeconds)));
                }
                return answer.status() == 401
                        ? ApiGateway.response(401, answer.body(), java.util.Map.of("www-authenticate", REALM))
                        : ApiGateway.response(answer.status(), answer.body());
            }
        }
    }

    /**
     * For a function serving {@code route}: a direct invocation or an API Gateway request on an IAM route is
     * {@link Caller#IAM} (an API Gateway request only with an authorizer context: refused 403 without one); a request
     * through a token route must carry a valid token that allows {@code route}.
     */
    public Check check(JsonNode event, TokenRoute route) {
        if (!ApiGateway.isProxyEvent(event)) {
            return new Check.Allowed(Caller.IAM);
        }
        String routeKey = TokenRoute.routeKeyOf(event);
        if (!TokenRoute.isTokenRouteKey(routeKey)) {
            // an IAM-authorised route: API Gateway has put the principal in the authorizer context; without it the
            // event did not come through the signed API (issue 23)
            return Actor.of(event).isPresent() ? new Check.Allowed(Caller.IAM) : new Check.Refused(Actor.missing());
        }
        if (!routeKey.equals(route.routeKey())) {
            // a token route wired to the wrong function: refuse rather than guess
            return refused(403, "forbidden", "(route)", "'" + routeKey + "' is not served by the " + route.wire()
                    + " function (" + route.routeKey() + ")");
        }
        return check(ApiGateway.request(event).header(HEADER), route);
    }

    /** The decision for an {@code Authorization} header value on {@code route}'s token route. */
    public Check check(String authorization, TokenRoute route) {
        if (authorization == null || authorization.isBlank()) {
            return refused(401, "unauthorized", "Authorization", "is missing: send 'Authorization: Bearer <token>' "
                    + "or HTTP basic auth with the token as the password");
        }
        Optional<String> presented = credential(authorization.trim());
        if (presented.isEmpty()) {
            return refused(401, "unauthorized", "Authorization",
                    "must be 'Bearer <token>' or 'Basic <base64 of user:token>'");
        }
        Optional<TokenSecrets.Presented> parsed = TokenSecrets.parse(presented.get());
        if (parsed.isEmpty()) {
            return refused(401, "unauthorized", "Authorization", "does not carry a Tocsin token ("
                    + TokenSecrets.PREFIX + "…, " + TokenSecrets.TOKEN_CHARS + " characters)");
        }
        String id = parsed.get().id();
        Optional<TokenStore.Stored> stored = store.find(id);
        if (stored.isEmpty() || stored.get().token().revoked()
                || !TokenSecrets.matches(parsed.get().secret(), stored.get().salt(), stored.get().secretHash())) {
            LOG.infof("Webhook token %s refused on %s: %s", Texts.log(id), route.wire(), stored.isEmpty() ? "unknown id"
                    : stored.get().token().revoked() ? "revoked" : "wrong secret");
            return refused(401, "unauthorized", "Authorization", "is not a valid token (unknown, revoked or wrong)");
        }
        Token token = stored.get().token();
        if (!token.allows(route)) {
            return refused(403, "forbidden", "Authorization", "token '" + token.name() + "' may not call "
                    + route.wire() + " (it may call: " + String.join(", ",
                            token.routes().stream().map(TokenRoute::wire).sorted().toList()) + ")");
        }
        Optional<Duration> wait = rates.take(token.id());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return new Check.Refused(Answer.error(429, "rate_limited", List.of(new Problem("Authorization",
                    "token '" + token.name() + "' is over its rate of " + (int) TokenRateLimit.RATE_PER_SECOND
                            + " calls a second (burst " + TokenRateLimit.BURST + "): retry in " + seconds + " s"))),
                    seconds);
        }
        recordUse(token);
        return new Check.Allowed(new Caller(token));
    }

    private void recordUse(Token token) {
        Instant now = clock.instant();
        if (token.lastUsedAt() != null && token.lastUsedAt().isAfter(now.minus(LAST_USED_GRANULARITY))) {
            return;
        }
        try {
            store.touch(token.id(), now, LAST_USED_GRANULARITY);
        } catch (RuntimeException e) {
            // the last-used time is information only: a failed write must not refuse a valid call
            LOG.warnf("Could not record the use of webhook token %s: %s", token.id(), e.toString());
        }
    }

    /** The token out of {@code Bearer <token>} or {@code Basic base64(user:token)}; schemes are case-insensitive. */
    static Optional<String> credential(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space + 1).trim();
        if (scheme.equals("bearer")) {
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        if (scheme.equals("basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
        }
        return Optional.empty();
    }

    private static Check refused(int status, String code, String field, String message) {
        return new Check.Refused(Answer.error(status, code, List.of(new Problem(field, message))));
    }
}
