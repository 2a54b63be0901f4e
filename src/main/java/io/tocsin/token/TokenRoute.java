package io.tocsin.token;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The token-authenticated routes: {@code POST /hooks/<name>} on the HTTP API (template.yaml, {@code Auth: NONE} and
 * throttled) and in the local run, for webhook callers that cannot sign with SigV4. A token names the routes it may
 * call by these names. Each route is served by the function of the same name, which checks the token itself.
 */
public enum TokenRoute {

    /** Prometheus Alertmanager's webhook_configs (payload version 4). */
    ALERTMANAGER("alertmanager"),
    /** Grafana alerting's webhook contact point (payload version 1). */
    GRAFANA("grafana"),
    /** Tocsin's own alert format, for any caller that can send it (e.g. a SaaS webhook with a custom payload). */
    INGEST("ingest");

    /** Every token route's path starts with this; a request on such a path is never served without a token. */
    public static final String PATH_PREFIX = io.tocsin.api.ApiGateway.TOKEN_ROUTE_PREFIX;

    private final String wire;

    TokenRoute(String wire) {
        this.wire = wire;
    }

    /** The name a token lists, and the function (QUARKUS_FUNQY_EXPORT) serving the route. */
    public String wire() {
        return wire;
    }

    public String path() {
        return PATH_PREFIX + wire;
    }

    /** The HTTP API route key, e.g. {@code POST /hooks/grafana}. */
    public String routeKey() {
        return "POST " + path();
    }

    public static Optional<TokenRoute> parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wire.equals(wanted)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(TokenRoute::wire).collect(Collectors.joining(", "));
    }

    /**
     * The route key of an API Gateway proxy event: {@code routeKey} of an HTTP API event (payload 2.0), else the
     * method and resource of a REST API event (payload 1.0); empty when the event carries neither.
     */
    public static String routeKeyOf(JsonNode event) {
        return io.tocsin.api.ApiGateway.routeKeyOf(event);
    }

    /** Whether a proxy event came through a token route (any of them): such a request needs a token. */
    public static boolean isTokenRouteKey(String routeKey) {
        return io.tocsin.api.ApiGateway.isTokenRouteKey(routeKey);
    }
}
