package io.tocsin.local;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alertmanager.AlertmanagerFunction;
import io.tocsin.grafana.GrafanaFunction;
import io.tocsin.entry.IngestFunction;
import io.tocsin.token.TokenRoute;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Local run only: the token routes at {@code POST http://localhost:8080/hooks/<alertmanager|grafana|ingest>}, as API
 * Gateway serves them in AWS. Funqy HTTP hands a function only the JSON body, so these routes build the HTTP API event
 * (payload 2.0: route key, headers, raw body) and invoke the function with it: the function checks the token (and
 * Grafana's signature) exactly as it does in Lambda. {@code POST /<function>} stays the unauthenticated direct call.
 */
public class LocalHooks {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AlertmanagerFunction alertmanager;
    @Inject
    GrafanaFunction grafana;
    @Inject
    IngestFunction ingest;

    void routes(@Observes Router router) {
        router.post(TokenRoute.PATH_PREFIX + ":name").order(-2).handler(BodyHandler.create());
        // blocking: the functions call DynamoDB
        router.post(TokenRoute.PATH_PREFIX + ":name").order(-1).blockingHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Map<TokenRoute, Function<JsonNode, JsonNode>> functions = Map.of(TokenRoute.ALERTMANAGER,
                alertmanager::alertmanager, TokenRoute.GRAFANA, grafana::grafana, TokenRoute.INGEST, ingest::ingest);
        var route = TokenRoute.parse(context.pathParam("name"));
        if (route.isEmpty()) {
            context.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end("{\"error\":\"not_found\",\"problems\":[{\"field\":\"(route)\",\"message\":\"token routes are "
                            + TokenRoute.allowed() + "\"}]}");
            return;
        }
        JsonNode answer = functions.get(route.get()).apply(event(context, route.get()));
        var response = context.response().setStatusCode(answer.path("statusCode").asInt(500));
        answer.path("headers").fields().forEachRemaining(h -> response.putHeader(h.getKey(), h.getValue().asText()));
        response.end(answer.path("body").asText(""));
    }

    /** The request as an API Gateway HTTP API event (payload 2.0); the body is passed byte for byte (base64). */
    static ObjectNode event(RoutingContext context, TokenRoute route) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", context.request().path());
        event.put("rawQueryString", context.request().query() == null ? "" : context.request().query());
        ObjectNode headers = event.putObject("headers");
        context.request().headers().names().forEach(name -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                String.join(",", context.request().headers().getAll(name))));
        ObjectNode requestContext = event.putObject("requestContext");
        requestContext.put("routeKey", route.routeKey());
        requestContext.put("requestId", UUID.randomUUID().toString());
        requestContext.put("stage", "$default");
        requestContext.putObject("http").put("method", "POST").put("path", context.request().path())
                .put("sourceIp", context.request().remoteAddress() == null ? "127.0.0.1"
                        : context.request().remoteAddress().host());
        byte[] body = context.body() == null || context.body().buffer() == null ? new byte[0]
                : context.body().buffer().getBytes();
        event.put("body", Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", true);
        return event;
    }
}
