package io.tocsin.alertmanager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.alert.LabelFingerprint;
import io.tocsin.alert.Severity;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.ingest.IngestFunction;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.ValidateStage;

/**
 * The {@code alertmanager} function (API Gateway {@code POST /alertmanager}): Prometheus Alertmanager's webhook,
 * version 4 (prometheus/alertmanager docs/configuration.md, webhook_config). Each firing alert becomes an alert (dedup
 * key from its fingerprint, computed from its labels as Alertmanager does when the payload has none; severity from its
 * {@code severity} label), each resolved alert resolves its open incident, found by the same key.
 */
public class AlertmanagerFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The only payload version Alertmanager has sent so far. */
    static final String VERSION = "4";

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    IncidentLifecycle lifecycle;

    @Funq("alertmanager")
    public JsonNode alertmanager(JsonNode event) {
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode webhook) {
        List<Problem> problems = new ArrayList<>();
        if (!VERSION.equals(webhook.path("version").asText())) {
            problems.add(new Problem("version", "must be \"4\" (Alertmanager webhook payload version)"));
        }
        if (!webhook.path("alerts").isArray()) {
            problems.add(new Problem("alerts", "must be a list of alerts"));
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode results = answer.putArray("alerts");
        for (JsonNode alert : webhook.path("alerts")) {
            results.add(one(alert, webhook));
        }
        return Answer.ok(answer);
    }

    private ObjectNode one(JsonNode alert, JsonNode webhook) {
        String sent = alert.path("fingerprint").asText("").trim();
        String fingerprint = sent.isEmpty() ? LabelFingerprint.of(labels(alert.path("labels"))) : sent;
        String name = alert.path("labels").path("alertname").asText("alert");
        String key = dedupKey(fingerprint);
        ObjectNode result = JSON.createObjectNode().put("fingerprint", fingerprint).put("alertname", name);
        if (sent.isEmpty()) {
            result.put("fingerprint_computed", true);
        }
        if ("resolved".equals(alert.path("status").asText())) {
            List<Incident> open = incidents.openWithDedupKey(key);
            result.put("status", open.isEmpty() ? "no_open_incident" : "resolved");
            for (Incident incident : open) {
                lifecycle.resolve(incident.id(), "Alertmanager: alert resolved at " + alert.path("endsAt").asText(),
                        "alertmanager");
                result.withArray("incident_ids").add(incident.id());
            }
            return result;
        }
        ObjectNode input = JSON.createObjectNode();
        input.put("severity", severity(alert.path("labels").path("severity").asText("")).wire());
        String summary = alert.path("annotations").path("summary").asText("");
        input.put("title", cut(summary.isBlank() ? name : name + ": " + summary, ValidateStage.MAX_TITLE_CHARS));
        input.put("description", alert.path("annotations").path("description").asText(""));
        String source = alert.path("labels").path("job").asText(alert.path("labels").path("instance").asText(""));
        input.put("source", cut("alertmanager:" + (source.isBlank() ? webhook.path("receiver").asText("") : source),
                ValidateStage.MAX_SOURCE_CHARS));
        input.put("dedup_key", cut(key, ValidateStage.MAX_DEDUP_KEY_CHARS));
        ObjectNode metadata = input.putObject("metadata");
        metadata.set("labels", alert.path("labels"));
        metadata.set("annotations", alert.path("annotations"));
        metadata.put("starts_at", alert.path("startsAt").asText(null));
        metadata.put("generator_url", alert.path("generatorURL").asText(null));
        metadata.put("external_url", webhook.path("externalURL").asText(null));
        result.setAll(IngestFunction.answer(pipeline.ingest(input, input.toString().length())));
        return result;
    }

    /**
     * The dedup key of an alert: {@code alertmanager:<fingerprint>}, with the fingerprint Alertmanager sent or, when a
     * payload has none (older Alertmanagers, relays), the one it would have sent ({@link LabelFingerprint}), so that
     * every label set is its own incident and its resolved alert finds it.
     */
    static String dedupKey(String fingerprint) {
        return "alertmanager:" + fingerprint;
    }

    /** The alert's labels as strings (a non-string value counts as its JSON text). */
    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString()));
        return map;
    }

    /** Prometheus' usual severity labels onto Tocsin's: critical; error/high → high; warning → medium; else low. */
    static Severity severity(String label) {
        return switch (label.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "page", "emergency" -> Severity.CRITICAL;
            case "error", "high", "major" -> Severity.HIGH;
            case "warning", "warn", "medium", "minor" -> Severity.MEDIUM;
            default -> Severity.LOW;
        };
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
