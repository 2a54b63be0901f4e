package io.tocsin.local;

import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.oncall.function.OnCallFeedFunction;
import io.tocsin.oncall.function.OnCallFeeds;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Local run only: the public iCal feed route {@code GET http://localhost:8080/oncall/feed/<file>}, as API Gateway
 * serves it in AWS: the request becomes an HTTP API event (payload 2.0) for the {@code oncall-feed} function.
 */
public class LocalFeeds {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE_KEY = "GET /oncall/feed/{file}";

    @Inject
    OnCallFeedFunction feed;

    void routes(@Observes Router router) {
        // blocking: the function calls DynamoDB
        router.get(OnCallFeeds.PATH_PREFIX + ":file").order(-1).blockingHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", ROUTE_KEY);
        event.put("rawPath", context.request().path());
        event.putObject("pathParameters").put("file", context.pathParam("file"));
        ObjectNode requestContext = event.putObject("requestContext");
        requestContext.put("routeKey", ROUTE_KEY);
        requestContext.put("requestId", UUID.randomUUID().toString());
        requestContext.putObject("http").put("method", "GET").put("path", context.request().path());
        JsonNode answer = feed.feed(event);
        var response = context.response().setStatusCode(answer.path("statusCode").asInt(500));
        answer.path("headers").fields().forEachRemaining(h -> response.putHeader(h.getKey(), h.getValue().asText()));
        response.end(answer.path("body").asText(""));
    }
}
