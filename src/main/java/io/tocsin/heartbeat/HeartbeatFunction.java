package io.tocsin.heartbeat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.quarkus.runtime.configuration.DurationConverter;
import io.tocsin.alert.Severity;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * The {@code heartbeat} function: dead-man's switches. Directly: {@code {"action":"ping","name":…}} (the default
 * action), {@code {"action":"create","name":…,"interval":"1h","grace":"10m","severity"?:…}} (creates or changes),
 * {@code {"action":"list"}}, {@code {"action":"delete","name":…}}. Over API Gateway: {@code POST
 * /heartbeats/{name}/ping}, {@code PUT /heartbeats/{name}}, {@code GET /heartbeats}, {@code DELETE /heartbeats/{name}}.
 *
 * <p>A ping may carry an Alertmanager webhook (a receiver for Prometheus' always-firing {@code Watchdog} alert): it
 * counts when the payload has a firing alert, and the heartbeat's name defaults to that alert's {@code heartbeat} label,
 * else its {@code alertname}. A payload whose alerts are all resolved is not a ping: Alertmanager sends that when
 * Prometheus stopped sending the Watchdog, which is exactly what the heartbeat is there to notice.
 */
public class HeartbeatFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    HeartbeatService heartbeats;
    @Inject
    Clock clock;

    @Funq("heartbeat")
    public JsonNode heartbeat(JsonNode event) {
        if (ApiGateway.isProxyEvent(event)) {
            ApiGateway.HttpRequest request = ApiGateway.request(event);
            String action = switch (request.method().toUpperCase(Locale.ROOT)) {
                case "GET" -> "list";
                case "DELETE" -> "delete";
                case "PUT" -> "create";
                default -> request.path().endsWith("/ping") ? "ping" : "create";
            };
            ObjectNode withAction = event.deepCopy();
            Requests.query(withAction).put("action", action);
            return Requests.handle(withAction, this::handle);
        }
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode input) {
        String action = input.path("action").asText("ping");
        return switch (action) {
            case "ping" -> ping(input);
            case "create" -> create(input);
            case "list" -> list();
            case "delete" -> delete(input);
            default -> Answer.invalid(List.of(new Problem("action", "must be ping, create, list or delete")));
        };
    }

    private Answer ping(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        JsonNode firing = null;
        if (input.path("alerts").isArray() && input.has("version")) {
            for (JsonNode alert : input.path("alerts")) {
                if (firing == null && "firing".equals(alert.path("status").asText())) {
                    firing = alert;
                }
            }
            if (firing == null) {
                ObjectNode body = JSON.createObjectNode().put("pinged", false).put("reason",
                        "the Alertmanager payload has no firing alert (a resolved Watchdog means Prometheus stopped "
                                + "sending it): not a ping");
                return Answer.ok(body);
            }
        }
        String name;
        if (input.hasNonNull("name") || firing == null) {
            name = name(input, problems);
        } else {
            name = firing.path("labels").path("heartbeat").asText(firing.path("labels").path("alertname").asText(""));
            if (!HeartbeatService.NAME.matcher(name).matches()) {
                problems.add(new Problem("name", "the firing alert's heartbeat or alertname label '" + name
                        + "' is not a heartbeat name (" + NAME_RULE + ")"));
            }
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        HeartbeatService.Pinged pinged;
        try {
            pinged = heartbeats.ping(name);
        } catch (HeartbeatService.LimitReached full) {
            return limitReached(full);
        }
        ObjectNode body = json(pinged.heartbeat());
        body.put("pinged", true);
        body.put("created", pinged.created());
        if (pinged.resolvedIncidentId() != null) {
            body.put("resolved_incident_id", pinged.resolvedIncidentId());
        }
        return Answer.ok(body);
    }

    private Answer create(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String name = name(input, problems);
        Duration interval = duration(input, "interval", problems);
        Duration grace = duration(input, "grace", problems);
        if (interval == null && !input.hasNonNull("interval")) {
            problems.add(new Problem("interval", "is required: how often the job pings, e.g. 1h"));
        } else if (interval != null && (interval.compareTo(HeartbeatService.MIN_INTERVAL) < 0
                || interval.compareTo(HeartbeatService.MAX_INTERVAL) > 0)) {
            problems.add(new Problem("interval", "must be from 1 minute (the sweep runs every minute) to 365 days"));
        }
        if (grace == null && !input.hasNonNull("grace")) {
            problems.add(new Problem("grace", "is required: how late a ping may be before the alert, e.g. 10m"));
        } else if (grace != null && (grace.isNegative() || grace.compareTo(HeartbeatService.MAX_GRACE) > 0)) {
            problems.add(new Problem("grace", "must be from 0 to 365 days"));
        }
        Severity severity = null;
        String severityText = Requests.optionalText(input, "severity", 32, problems);
        if (severityText != null) {
            severity = Severity.parse(severityText).orElse(null);
            if (severity == null) {
                problems.add(new Problem("severity", "'" + severityText + "' is not one of " + Severity.allowed()));
            }
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        HeartbeatService.Defined defined;
        try {
            defined = heartbeats.define(name, interval, grace, severity);
        } catch (HeartbeatService.LimitReached full) {
            return limitReached(full);
        }
        ObjectNode body = json(defined.heartbeat());
        body.put("created", defined.created());
        return new Answer(defined.created() ? 201 : 200, body);
    }

    private static Answer limitReached(HeartbeatService.LimitReached full) {
        return Answer.error(409, "heartbeat_limit", List.of(new Problem("name", full.getMessage())));
    }

    private Answer list() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("heartbeats");
        heartbeats.list().forEach(h -> list.add(json(h)));
        return Answer.ok(body);
    }

    private Answer delete(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String name = name(input, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        return heartbeats.delete(name).map(h -> {
            ObjectNode body = json(h);
            body.put("deleted", true);
            return Answer.ok(body);
        }).orElseGet(() -> Answer.error(404, "not_found", List.of(new Problem("name", "no heartbeat " + name))));
    }

    static final String NAME_RULE = "1 to 128 letters, digits and . _ : -, starting with a letter or digit";

    private static String name(JsonNode input, List<Problem> problems) {
        String name = Requests.requiredText(input, "name", 128, problems);
        if (name != null && !HeartbeatService.NAME.matcher(name).matches()) {
            problems.add(new Problem("name", "must be " + NAME_RULE + "; got '" + name + "'"));
            return null;
        }
        return name;
    }

    /** A duration as seconds (a number) or text: {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code PT1H30M}. */
    private static Duration duration(JsonNode input, String field, List<Problem> problems) {
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Duration.ofSeconds(node.asLong());
        }
        String text = node.isTextual() ? node.asText().trim() : "";
        try {
            if (!text.isEmpty()) {
                return DurationConverter.parseDuration(text);
            }
        } catch (RuntimeException e) {
            // reported below
        }
        problems.add(new Problem(field, "must be a duration such as 5m, 1h, 1d or PT1H30M (or a number of seconds); "
                + "got " + node));
        return null;
    }

    /** A heartbeat as the API shows it. */
    ObjectNode json(Heartbeat heartbeat) {
        Instant now = clock.instant();
        ObjectNode node = JSON.createObjectNode();
        node.put("name", heartbeat.name());
        node.put("state", heartbeat.state() == HeartbeatState.WAITING && heartbeat.isLateAt(now) ? "overdue"
                : heartbeat.state().wire());
        node.put("interval", heartbeat.interval().toString());
        node.put("interval_seconds", heartbeat.interval().getSeconds());
        node.put("grace", heartbeat.grace().toString());
        node.put("grace_seconds", heartbeat.grace().getSeconds());
        node.put("severity", heartbeats.severityOf(heartbeat).wire());
        node.put("created_at", heartbeat.createdAt().toString());
        node.put("last_ping", heartbeat.lastPingAt() == null ? null : heartbeat.lastPingAt().toString());
        node.put("pings", heartbeat.pings());
        node.put("due", heartbeat.dueAt().toString());
        if (heartbeat.incidentId() != null) {
            node.put("incident_id", heartbeat.incidentId());
        }
        return node;
    }
}
