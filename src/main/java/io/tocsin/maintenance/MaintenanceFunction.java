package io.tocsin.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Actor;
import io.tocsin.api.Answer;
import io.tocsin.audit.AuditLog;
import io.tocsin.emf.Emf;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.config.Settings;

/**
 * The {@code maintenance} function: create, list and delete maintenance windows. Directly:
 * {@code {"action":"create","start":…,"end":…,"reason":…,"created_by":…,"sources":[…],"severities":[…]}},
 * {@code {"action":"list"}}, {@code {"action":"delete","id":…}}. Over API Gateway: {@code POST /maintenance},
 * {@code GET /maintenance}, {@code DELETE /maintenance/{id}}. Times are ISO-8601 with an offset and stored as UTC.
 * A recurring window adds {@code "rrule"} (RFC 5545 subset, see {@link Recurrence}) and {@code "time_zone"} (IANA);
 * its {@code start} and {@code end} (or {@code duration}) are then the first occurrence's local times in that zone.
 */
public class MaintenanceFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Occurrences a recurring window lists. */
    static final int NEXT_OCCURRENCES_SHOWN = 5;
    /** Occurrences in the window's local time with its offset, e.g. 2026-12-06T02:00+01:00. */
    private static final java.time.format.DateTimeFormatter OCCURRENCE = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

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
    @Inject
    AuditLog audit;
    @Inject
    Emf emf;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MaintenanceFunction.class);
    /**
     * A window for every alert longer than this raises the ops signal (UnscopedMaintenance metric and alarm): an
     * hour covers a planned restart; more silences every page for a long time, which someone should know (issue 23).
     */
    static final Duration UNSCOPED_SIGNAL_AFTER = Duration.ofHours(1);

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
            ObjectNode query = Requests.query(withAction);
            query.put("action", action);
            return Requests.handle(withAction, this::handle);
        }
        return Requests.handle(event, this::handle);
    }

    Answer handle(JsonNode input, Actor actor) {
        String action = input.path("action").asText("");
        return switch (action) {
            case "create" -> create(input, actor);
            case "list" -> list();
            case "delete" -> delete(input, actor);
            default -> Answer.invalid(List.of(new Problem("action", "must be create, list or delete")));
        };
    }

    private Answer create(JsonNode input, Actor actor) {
        List<Problem> problems = new ArrayList<>();
        Instant now = clock.instant();
        MaintenanceWindow read = new WindowRequest(config.maxDuration()).read(input, now, problems);
        if (!problems.isEmpty() || read == null) {
            return Answer.invalid(problems);
        }
        MaintenanceWindow window = read.withCreatedActor(actor.stored());
        AuditLog.Entry record = audit.requested(AuditLog.Kind.MAINTENANCE_WINDOW, "create", window.id(), actor,
                window.createdBy(), json(window, now));
        store.create(window, now);
        policy.invalidate();
        audit.completed(record, true, window.id(), null, json(window, now));
        if (window.unscopedLongerThan(UNSCOPED_SIGNAL_AFTER)) {
            // every page silenced for more than an hour: the ops topic hears of it (UnscopedMaintenanceAlarm)
            emf.unscopedMaintenance();
            LOG.warnf("Maintenance window %s silences every alert for more than %s (created by %s, %s)",
                    window.id(), UNSCOPED_SIGNAL_AFTER, actor.id(), window.createdBy());
        }
        ObjectNode body = json(window, now);
        body.put("created", true);
        return new Answer(201, body);
    }

    private Answer list() {
        Instant now = clock.instant();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode windows = body.putArray("windows");
        settings.environmentMaintenance().map(MaintenanceWindow::environment)
                .ifPresent(w -> windows.add(json(w, now)));
        store.current(now).stream()
                .filter(w -> w.recurrence() == null || !w.recurrence().next(now, 1).isEmpty())
                .forEach(w -> windows.add(json(w, now)));
        return Answer.ok(body);
    }

    private Answer delete(JsonNode input, Actor actor) {
        List<Problem> problems = new ArrayList<>();
        String id = Requests.requiredText(input, "id", 128, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        if (MaintenanceWindow.ENVIRONMENT_ID.equals(id)) {
            return Answer.error(409, "conflict", List.of(new Problem("id",
                    "the environment's window is set by MAINTENANCE_MODE/START/END and cannot be deleted here")));
        }
        AuditLog.Entry record = audit.requested(AuditLog.Kind.MAINTENANCE_WINDOW, "delete", id, actor, null,
                JSON.createObjectNode().put("id", id));
        var deleted = store.delete(id, clock.instant());
        policy.invalidate();
        if (deleted.isPresent()) {
            audit.completed(record, true, id, json(deleted.get(), clock.instant()), null);
        } else {
            audit.discard(record);
        }
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
        node.put("created_actor", window.createdActor());
        window.sources().forEach(node.putArray("sources")::add);
        window.severities().forEach(s -> node.withArray("severities").add(s.wire()));
        Recurrence recurrence = window.recurrence();
        if (recurrence != null) {
            node.put("rrule", recurrence.rrule());
            node.put("time_zone", recurrence.zone().getId());
            node.put("first_start", recurrence.firstStart().toString());
            node.put("duration", recurrence.length().toString());
            ArrayNode next = node.putArray("next_occurrences");
            for (Recurrence.Occurrence occurrence : recurrence.next(now, NEXT_OCCURRENCES_SHOWN)) {
                next.addObject().put("start", OCCURRENCE.format(occurrence.start()))
                        .put("end", OCCURRENCE.format(occurrence.end()));
            }
        }
        return node;
    }


}
