package io.tocsin.entry;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.cloudwatch.AlarmEvents;
import io.tocsin.cloudwatch.CloudWatchAlarms;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.token.Caller;
import io.tocsin.token.TokenGate;
import io.tocsin.token.TokenRoute;

/**
 * The {@code ingest} function. Takes an alert directly (Lambda invoke, or {@code POST /ingest} in the local run) or as
 * an API Gateway proxy request (the IAM route {@code POST /ingest}, or the token route {@code POST /hooks/ingest} with a
 * webhook token that allows {@code ingest} and whose source prefix the alert's source has), where it answers 201
 * created, 200 suppressed, 400 invalid, 401/403 refused. CloudWatch alarm state changes arrive here too, from the
 * direct Lambda alarm action or through SNS.
 */
public class IngestFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestPipeline pipeline;
    @Inject
    CloudWatchAlarms cloudWatch;
    @Inject
    TokenGate tokens;

    @Funq("ingest")
    public JsonNode ingest(JsonNode event) {
        if (AlarmEvents.isDirectAlarmAction(event)) {
            return cloudWatch.handle(AlarmEvents.fromDirectAction(event));
        }
        if (AlarmEvents.isSnsNotification(event)) {
            ArrayNode results = JSON.createArrayNode();
            AlarmEvents.fromSns(event).forEach(change -> results.add(cloudWatch.handle(change)));
            return JSON.createObjectNode().set("alarms", results);
        }
        if (ApiGateway.isProxyEvent(event)) {
            // the IAM route POST /ingest, or the token route POST /hooks/ingest (checked before anything is read)
            TokenGate.Check check = tokens.check(event, TokenRoute.INGEST);
            if (check instanceof TokenGate.Check.Refused refused) {
                return refused.response();
            }
            ApiGateway.HttpRequest request = ApiGateway.request(event);
            if (request.bodyProblem() != null) {
                return request.unreadableBody();
            }
            JsonNode alert = ApiGateway.parseJson(request.body());
            if (alert == null) {
                return ApiGateway.malformedJson(request.body());
            }
            Caller caller = ((TokenGate.Check.Allowed) check).caller();
            if (alert.path("source").isTextual()) {
                Problem outside = caller.sourceProblem("source", alert.path("source").asText().trim());
                if (outside != null) {
                    return ApiGateway.response(403, Answer.error(403, "forbidden", List.of(outside)).body());
                }
            }
            IngestResult result = pipeline.ingest(alert, request.body().length, caller.keyScope());
            return ApiGateway.response(result.httpStatus(), result.answer());
        }
        return pipeline.ingest(event, ApiGateway.sizeOf(event)).answer();
    }
}
