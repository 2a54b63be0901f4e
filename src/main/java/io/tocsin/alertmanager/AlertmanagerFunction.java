package io.tocsin.alertmanager;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.Requests;
import io.tocsin.token.Caller;
import io.tocsin.token.TokenGate;
import io.tocsin.token.TokenRoute;

/**
 * The {@code alertmanager} function: Prometheus Alertmanager's webhook, version 4 (prometheus/alertmanager
 * docs/configuration.md, webhook_config), on the IAM route {@code POST /alertmanager} and on the token route
 * {@code POST /hooks/alertmanager} (a webhook token that allows {@code alertmanager}). Each firing alert becomes an
 * alert (dedup key from its fingerprint, computed from its labels as Alertmanager does when the payload has none;
 * severity from its {@code severity} label), each resolved alert resolves its open incident, found by the same key
 * ({@link AlertmanagerAlerts}).
 */
public class AlertmanagerFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The only payload version Alertmanager has sent so far. */
    static final String VERSION = "4";
    static final AlertmanagerAlerts.Sender SENDER = new AlertmanagerAlerts.Sender("alertmanager", "Alertmanager");

    @Inject
    AlertmanagerAlerts alerts;
    @Inject
    TokenGate tokens;

    @Funq("alertmanager")
    public JsonNode alertmanager(JsonNode event) {
        TokenGate.Check check = tokens.check(event, TokenRoute.ALERTMANAGER);
        if (check instanceof TokenGate.Check.Refused refused) {
            return refused.response();
        }
        Caller caller = ((TokenGate.Check.Allowed) check).caller();
        return Requests.handleBody(event, webhook -> handle(webhook, caller));
    }

    Answer handle(JsonNode webhook, Caller caller) {
        return alerts.handle(webhook, VERSION, "must be \"4\" (Alertmanager webhook payload version)",
                alert -> map(alert, webhook), caller, SENDER);
    }

    private static AlertmanagerAlerts.Mapped map(JsonNode alert, JsonNode webhook) {
        // the fingerprint Alertmanager sent, or the one it would have sent (older Alertmanagers and relays send none)
        String key = "alertmanager:" + AlertmanagerAlerts.fingerprint(alert);
        String source = AlertmanagerAlerts.source("alertmanager", alert.path("labels"), List.of("job", "instance"),
                webhook.path("receiver").asText(""));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("labels", alert.path("labels"));
        metadata.set("annotations", alert.path("annotations"));
        metadata.put("starts_at", alert.path("startsAt").asText(null));
        metadata.put("generator_url", alert.path("generatorURL").asText(null));
        metadata.put("external_url", webhook.path("externalURL").asText(null));
        return AlertmanagerAlerts.map(alert, key, source, alert.path("annotations").path("description").asText(""),
                metadata);
    }
}
