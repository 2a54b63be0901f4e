package io.tocsin.grafana;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.alertmanager.AlertmanagerAlerts;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.BodyLimit;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.pagerduty.WebhookReceipts;
import io.tocsin.token.Caller;
import io.tocsin.token.TokenGate;
import io.tocsin.token.TokenRoute;

/**
 * The {@code grafana} function: Grafana alerting's webhook contact point, payload version 1 (grafana/alerting
 * receivers/webhook: Alertmanager's notification data plus {@code orgId}, {@code state}, {@code title},
 * {@code message}), on the token route {@code POST /hooks/grafana}. Firing alerts are raised, resolved alerts resolve
 * their open incident, severity comes from the {@code severity} label, as for Alertmanager ({@link AlertmanagerAlerts}).
 * When {@code TOCSIN_GRAFANA_WEBHOOK_SECRET} is set, requests must also carry Grafana's HMAC signature.
 */
public class GrafanaFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The version of Grafana's webhook payload (grafana/alerting receivers/webhook/v1: {@code Version: "1"}). */
    static final String VERSION = "1";
    static final AlertmanagerAlerts.Sender SENDER = new AlertmanagerAlerts.Sender("grafana", "Grafana");
    /** Where an alert's source comes from, first found: {@code grafana:<job>}, instance, the alert's folder. */
    static final List<String> SOURCE_LABELS = List.of("job", "instance", "grafana_folder");

    @Inject
    AlertmanagerAlerts alerts;
    @Inject
    TokenGate tokens;
    @Inject
    GrafanaSignature signature;
    @Inject
    WebhookReceipts receipts;
    @Inject
    Clock clock;

    @Funq("grafana")
    public JsonNode grafana(JsonNode event) {
        TokenGate.Check check = tokens.check(event, TokenRoute.GRAFANA);
        if (check instanceof TokenGate.Check.Refused refused) {
            return refused.response();
        }
        Caller caller = ((TokenGate.Check.Allowed) check).caller();
        if (ApiGateway.isProxyEvent(event)) {
            // the signature covers the raw HTTP body; a direct invocation has none and is IAM-authenticated
            ApiGateway.HttpRequest request = ApiGateway.request(event);
            Answer tooLarge = BodyLimit.tooLarge(request.body());
            if (tooLarge != null) {
                return ApiGateway.response(tooLarge.status(), tooLarge.body());
            }
            if (request.bodyProblem() != null) {
                return request.unreadableBody();
            }
            Problem malformed = signature.malformed(request);
            if (malformed != null) {
                return ApiGateway.response(400, Answer.invalid(List.of(malformed)).body());
            }
            Problem unsigned = signature.problem(request);
            if (unsigned != null) {
                Answer answer = Answer.error(401, "unauthorized", List.of(unsigned));
                return ApiGateway.response(answer.status(), answer.body());
            }
            Optional<String> receipt = signature.receiptId(request);
            if (receipt.isPresent()) {
                return once(event, caller, receipt.get());
            }
        }
        return Requests.handleBody(event, webhook -> handle(webhook, caller));
    }

    /**
     * A signed, timestamped notification is applied once: a replay of it (same signature, within the timestamp
     * tolerance; later ones fail the timestamp check) is answered 200 {@code {"result":"duplicate"}} and does nothing.
     * The receipt is written after the notification was handled, so that a retry after a crash is handled again.
     */
    private JsonNode once(JsonNode event, Caller caller, String receipt) {
        if (receipts.seen(receipt, clock.instant())) {
            return ApiGateway.response(200, JSON.createObjectNode().put("result", "duplicate"));
        }
        JsonNode response = Requests.handleBody(event, webhook -> handle(webhook, caller));
        if (response.path("statusCode").asInt() == 200) {
            receipts.record(receipt, "grafana", clock.instant());
        }
        return response;
    }

    Answer handle(JsonNode webhook, Caller caller) {
        Answer answer = alerts.handle(webhook, VERSION, "must be \"1\" (Grafana alerting webhook payload version; "
                + "Alertmanager's version 4 goes to the alertmanager route)", alert -> map(alert, webhook), caller,
                SENDER);
        if (webhook.path("truncatedAlerts").asInt(0) > 0 && answer.status() == 200) {
            // Grafana's "Max Alerts" left these out of the notification: they are not seen here
            answer.body().put("truncated_alerts", webhook.path("truncatedAlerts").asInt());
        }
        return answer;
    }

    /**
     * The dedup key of a Grafana alert: {@code grafana:<fingerprint>}, the fingerprint Alertmanager computes from the
     * labels when the payload has none (a custom payload template, an older sender), so that the alert's firing
     * and resolved notifications still meet.
     */
    static String dedupKey(JsonNode alert) {
        return "grafana:" + AlertmanagerAlerts.fingerprint(alert);
    }

    private static AlertmanagerAlerts.Mapped map(JsonNode alert, JsonNode webhook) {
        JsonNode labels = alert.path("labels");
        String source = AlertmanagerAlerts.source("grafana", labels, SOURCE_LABELS,
                webhook.path("receiver").asText("webhook"));
        String description = alert.path("annotations").path("description").asText("");
        if (description.isBlank()) {
            description = alert.path("valueString").asText("");
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("labels", labels);
        metadata.set("annotations", alert.path("annotations"));
        metadata.put("starts_at", alert.path("startsAt").asText(null));
        if (alert.path("values").isObject()) {
            metadata.set("values", alert.path("values"));
        }
        for (String[] field : new String[][] { { "generatorURL", "generator_url" }, { "dashboardURL", "dashboard_url" },
                { "panelURL", "panel_url" }, { "silenceURL", "silence_url" }, { "imageURL", "image_url" } }) {
            if (alert.hasNonNull(field[0])) {
                metadata.put(field[1], alert.path(field[0]).asText());
            }
        }
        metadata.put("org_id", webhook.path("orgId").asText(null));
        metadata.put("external_url", webhook.path("externalURL").asText(null));
        return AlertmanagerAlerts.map(alert, dedupKey(alert), source, description, metadata);
    }
}
