package io.tocsin.maintenance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.alert.Severity;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.config.Settings;

/**
 * The {@code maintenance} function: create, list and delete maintenance windows. Directly:
 * {@code {"action":"create","start":…,"end":…,"reason":…,"created_by":…,"sources":[…],"severities":[…]}},
 * {@code {"action":"list"}}, {@code {"action":"delete","id":…}}. Over API Gateway: {@code POST /maintenance},
 * {@code GET /maintenance}, {@code DELETE /maintenance/{id}}. Times are ISO-8601 with an offset and stored as UTC.
 */
public class MaintenanceFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_TEXT = 1024;

    @Inject
    MaintenanceStore store;
    @Inject
    MaintenancePolicy policy;
    @Inject
    MaintenanceConfig config;
    @Inject
    Settings settings;
    @Inject
    Clock clock;

    @Funq("maintenance")
    public JsonNode maintenance(JsonNode event) {
        if (io.tocsin.api.ApiGateway.isProxyEvent(event)) {
            String method = io.tocsin.api.ApiGateway.request(event).method().toUpperCase(java.util.Locale.ROOT);
            String action = switch (method) {
                case "GET" -> "list";
                case "DELETE" -> "delete";
                default -> "create";
            };
            ObjectNode withAction = event.deepCopy();
            ObjectNode query = withAction.with("queryStringParameters");
            query.put("action", action);
            return Requests.handle(withAction, this::handle);
        }
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode input) {
        String action = input.path("action").asText("");
        return switch (action) {
            case "create" -> create(input);
            case "list" -> list();
            case "delete" -> delete(input);
            default -> Answer.invalid(List.of(new Problem("action", "must be create, list or delete")));
        };
    }

    private Answer create(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        Instant start = Requests.requiredInstant(input, "start", problems);
        Instant end = Requests.requiredInstant(input, "end", problems);
        String reason = Requests.requiredText(input, "reason", MAX_TEXT, problems);
        String createdBy = Requests.optionalText(input, "created_by", 255, problems);
        Set<String> sources = strings(input, "sources", problems);
        Set<Severity> severities = new LinkedHashSet<>();
        for (String name : strings(input, "severities", problems)) {
            Severity.parse(name).ifPresentOrElse(severities::add, () -> problems.add(new Problem("severities",
                    "'" + name + "' is not one of " + Severity.allowed())));
        }
        Instant now = clock.instant();
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                problems.add(new Problem("end", "must be after start (" + start + ")"));
            } else if (end.isAfter(start.plus(config.maxDuration()))) {
                problems.add(new Problem("end", "a window may last at most " + config.maxDuration().toHours()
                        + " hours (TOCSIN_MAINTENANCE_MAX_DURATION)"));
            } else if (!end.isAfter(now)) {
                problems.add(new Problem("end", "is in the past (" + now + ")"));
            }
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        MaintenanceWindow window = new MaintenanceWindow(UUID.randomUUID().toString(), start, end, reason, createdBy,
                sources, severities);
        store.create(window, now);
        policy.invalidate();
        ObjectNode body = json(window, now);
        body.put("created", true);
        return new Answer(201, body);
    }

    private Answer list() {
        Instant now = clock.instant();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode windows = body.putArray("windows");
        settings.environmentMaintenance().ifPresent(w -> windows.add(json(w, now)));
        store.current(now).forEach(w -> windows.add(json(w, now)));
        return Answer.ok(body);
    }

    private Answer delete(JsonNode input) {
        List<Problem> problems = new ArrayList<>();
        String id = Requests.requiredText(input, "id", 128, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        if (MaintenanceWindow.ENVIRONMENT_ID.equals(id)) {
            return Answer.error(409, "conflict", List.of(new Problem("id",
                    "the environment's window is set by MAINTENANCE_MODE/START/END and cannot be deleted here")));
        }
        var deleted = store.delete(id, clock.instant());
        policy.invalidate();
        if (deleted.isEmpty()) {
            return Answer.error(404, "not_found", List.of(new Problem("id", "no current maintenance window " + id)));
        }
        ObjectNode body = json(deleted.get(), clock.instant());
        body.put("deleted", true);
        return Answer.ok(body);
    }

    static ObjectNode json(MaintenanceWindow window, Instant now) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", window.id());
        node.put("start", window.start() == null ? null : window.start().toString());
        node.put("end", window.end() == null ? null : window.end().toString());
        node.put("active", window.covers(now));
        node.put("reason", window.reason());
        node.put("created_by", window.createdBy());
        window.sources().forEach(node.putArray("sources")::add);
        window.severities().forEach(s -> node.withArray("severities").add(s.wire()));
        return node;
    }


    private static Set<String> strings(JsonNode input, String field, List<Problem> problems) {
        Set<String> values = new LinkedHashSet<>();
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            problems.add(new Problem(field, "must be a list of strings"));
            return values;
        }
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isBlank()) {
                problems.add(new Problem(field, "must be a list of non-blank strings"));
                return values;
            }
            values.add(value.asText().trim());
        }
        return values;
    }
}
