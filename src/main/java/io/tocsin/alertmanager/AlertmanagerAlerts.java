package io.tocsin.alertmanager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.LabelFingerprint;
import io.tocsin.alert.Severity;
import io.tocsin.api.Problem;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.OpenByKey;
import io.tocsin.alert.KeySpace;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.ValidateStage;
import io.tocsin.token.Caller;

/**
 * Alerts in Alertmanager's data model ({@code status}, {@code labels}, {@code annotations}, {@code startsAt},
 * {@code endsAt}, {@code fingerprint}), as Alertmanager's webhook (version 4) and Grafana alerting's webhook (version
 * 1, built on Alertmanager's notification data) send them in {@code alerts[]}: the mapping both share (title,
 * severity from the {@code severity} label) and what Tocsin does with each alert (a firing alert is ingested, a
 * resolved one resolves the open incident of its dedup key). Each webhook decides the dedup key, source and metadata.
 */
@Singleton
public class AlertmanagerAlerts {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The most alerts one notification may carry (400 beyond it, naming the limit): every alert is handled in turn in
     * one invocation, a new one with its PagerDuty page (a few hundred ms, retried with backoff), within the functions'
     * 30 s timeout (template.yaml {@code Globals.Function.Timeout}). Alertmanager's {@code max_alerts} and Grafana's
     * "Max Alerts" (both 0 = all by default) must be set to at most this (docs/ingest.md).
     */
    public static final int MAX_ALERTS_PER_NOTIFICATION = 50;

    /** Who sent the alerts: the actor recorded on resolves, and the name used in resolution notes. */
    public record Sender(String actor, String displayName) {
    }

    /** One alert of a webhook, mapped: {@code input} is the alert Tocsin ingests when it fires. */
    public record Mapped(String fingerprint, boolean fingerprintComputed, String alertname, boolean resolved,
            String endsAt, ObjectNode input) {

        public String dedupKey() {
            return input.path("dedup_key").asText();
        }

        public String source() {
            return input.path("source").asText();
        }
    }

    private final IngestPipeline pipeline;
    private final OpenByKey incidents;
    private final IncidentLifecycle lifecycle;

    @Inject
    public AlertmanagerAlerts(IngestPipeline pipeline, OpenByKey incidents, IncidentLifecycle lifecycle) {
        this.pipeline = pipeline;
        this.incidents = incidents;
        this.lifecycle = lifecycle;
    }

    /** The alert's name: its {@code alertname} label ({@code alert} without one). */
    public static String alertname(JsonNode alert) {
        return alert.path("labels").path("alertname").asText("alert");
    }

    /**
     * Maps one alert: title {@code <alertname>: <summary annotation>}, severity from the {@code severity} label, and
     * the dedup key, source, description and metadata the webhook chose (cut to the ingest API's limits).
     */
    public static Mapped map(JsonNode alert, String dedupKey, String source, String description,
            ObjectNode metadata) {
        String name = alertname(alert);
        ObjectNode input = JSON.createObjectNode();
        input.put("severity", severity(alert.path("labels").path("severity").asText("")).wire());
        String summary = alert.path("annotations").path("summary").asText("");
        input.put("title", cut(summary.isBlank() ? name : name + ": " + summary, ValidateStage.MAX_TITLE_CHARS));
        input.put("description", description);
        input.put("source", cut(source, ValidateStage.MAX_SOURCE_CHARS));
        input.put("dedup_key", cut(dedupKey, ValidateStage.MAX_DEDUP_KEY_CHARS));
        input.set("metadata", metadata);
        String sent = alert.path("fingerprint").asText("").trim();
        return new Mapped(fingerprint(alert), sent.isEmpty(), name, "resolved".equals(alert.path("status").asText()),
                alert.path("endsAt").asText(""), input);
    }

    /**
     * {@code <system>:<first non-blank of the labels named>}, else {@code <system>:<fallback>}: e.g. the {@code job}
     * label, then {@code instance}.
     */
    public static String source(String system, JsonNode labels, List<String> labelNames, String fallback) {
        for (String label : labelNames) {
            String value = labels.path(label).asText("");
            if (!value.isBlank()) {
                return system + ":" + value;
            }
        }
        return system + ":" + fallback;
    }

    /** Prometheus' usual severity labels onto Tocsin's: critical; error/high → high; warning → medium; else low. */
    public static Severity severity(String label) {
        return switch (label.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "page", "emergency" -> Severity.CRITICAL;
            case "error", "high", "major" -> Severity.HIGH;
            case "warning", "warn", "medium", "minor" -> Severity.MEDIUM;
            default -> Severity.LOW;
        };
    }

    /**
     * The alert's fingerprint: the one it carries, or — when a payload has none (older Alertmanagers, relays) — the one
     * Alertmanager computes from its label set ({@link LabelFingerprint}), so that every label set is its own incident
     * and the firing and resolved notifications of an alert meet, whatever the order of the labels.
     */
    public static String fingerprint(JsonNode alert) {
        String sent = alert.path("fingerprint").asText("").trim();
        return sent.isEmpty() ? LabelFingerprint.of(labels(alert.path("labels"))) : sent;
    }

    /** The alert's labels as strings (a non-string value counts as its JSON text). */
    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString()));
        return map;
    }

    /** The problems (403) of alerts whose source the caller's token does not allow; empty when all are allowed. */
    public static List<Problem> sourceProblems(List<Mapped> alerts, Caller caller) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            // resolves too: a token confined to some sources must not close the incidents of others
            Problem problem = caller.sourceProblem("alerts[" + i + "].source", alerts.get(i).source());
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /**
     * A whole webhook of alerts in Alertmanager's data model: its {@code version} checked, each alert mapped by
     * {@code mapper}, refused whole (403) if the caller's token does not allow a source, else each alert applied.
     *
     * @return 200 with {@code alerts[]} (one result each), 400 naming the field, or 403
     */
    public io.tocsin.api.Answer handle(JsonNode webhook, String version, String versionProblem,
            java.util.function.Function<JsonNode, Mapped> mapper, Caller caller, Sender sender) {
        List<Problem> problems = new ArrayList<>();
        if (!version.equals(webhook.path("version").asText())) {
            problems.add(new Problem("version", versionProblem));
        }
        if (!webhook.path("alerts").isArray()) {
            problems.add(new Problem("alerts", "must be a list of alerts"));
        } else if (webhook.path("alerts").size() > MAX_ALERTS_PER_NOTIFICATION) {
            problems.add(new Problem("alerts", "holds " + webhook.path("alerts").size() + " alerts; at most "
                    + MAX_ALERTS_PER_NOTIFICATION + " per notification are accepted (MAX_ALERTS_PER_NOTIFICATION: set "
                    + "max_alerts in Alertmanager's webhook_config, Max Alerts in Grafana's contact point)"));
        }
        if (!problems.isEmpty()) {
            return io.tocsin.api.Answer.invalid(problems);
        }
        List<Mapped> mapped = new ArrayList<>();
        for (JsonNode alert : webhook.path("alerts")) {
            mapped.add(mapper.apply(alert));
        }
        List<Problem> forbidden = sourceProblems(mapped, caller);
        if (!forbidden.isEmpty()) {
            return io.tocsin.api.Answer.error(403, "forbidden", forbidden);
        }
        ObjectNode answer = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode results = answer.putArray("alerts");
        mapped.forEach(alert -> results.add(apply(alert, sender, caller)));
        return io.tocsin.api.Answer.ok(answer);
    }

    /**
     * Raises a firing alert through the ingest pipeline, or resolves the open incident of a resolved one, in the
     * caller's key space ({@link KeySpace}); a resolve never touches an incident whose source is outside the caller's
     * token prefix.
     */
    public ObjectNode apply(Mapped alert, Sender sender, Caller caller) {
        ObjectNode result = JSON.createObjectNode().put("fingerprint", alert.fingerprint())
                .put("alertname", alert.alertname());
        if (alert.fingerprintComputed()) {
            result.put("fingerprint_computed", true);
        }
        if (alert.resolved()) {
            List<Incident> open = resolvable(alert.dedupKey(), caller);
            result.put("status", open.isEmpty() ? "no_open_incident" : "resolved");
            for (Incident incident : open) {
                lifecycle.resolve(incident.id(), sender.displayName() + ": alert resolved at " + alert.endsAt(),
                        sender.actor());
                result.withArray("incident_ids").add(incident.id());
            }
            return result;
        }
        result.setAll(pipeline.ingest(alert.input(), alert.input().toString().length(), caller.keyScope())
                .answer());
        return result;
    }

    /**
     * The open incident a resolved alert closes: the one its key's claim holds in the caller's key space, and for a
     * token with a prefix also the one the shared space holds for that key (opened before key spaces), each only if
     * its stored source is inside the caller's prefix.
     */
    private List<Incident> resolvable(String dedupKey, Caller caller) {
        List<Incident> found = new ArrayList<>(incidents.byClaim(KeySpace.key(caller.keyScope(), dedupKey)));
        if (caller.keyScope() != null) {
            found.addAll(incidents.byClaim(dedupKey));
        }
        return found.stream().filter(incident -> caller.permits(incident.alert().source())).toList();
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
