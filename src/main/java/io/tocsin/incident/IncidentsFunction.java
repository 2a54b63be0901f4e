package io.tocsin.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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

/**
 * The {@code incidents} function: history, newest first. Filters {@code status} (one or several, comma-separated),
 * {@code severity}, {@code source}, {@code from}/{@code to} (ISO-8601; default the last 7 days, at most 93), page size
 * {@code limit} (1–100, default 50) and {@code cursor} (from the previous page's {@code next_cursor}). Over API
 * Gateway: {@code GET /incidents?status=triggered,acknowledged&limit=20}.
 */
public class IncidentsFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IncidentHistory history;
    @Inject
    Clock clock;

    @Funq("incidents")
    public JsonNode incidents(JsonNode event) {
        return Requests.handle(event, input -> {
            List<Problem> problems = new ArrayList<>();
            Set<IncidentStatus> statuses = statuses(input.get("status"), problems);
            Severity severity = null;
            String severityText = Requests.optionalText(input, "severity", 16, problems);
            if (severityText != null) {
                severity = Severity.parse(severityText).orElse(null);
                if (severity == null) {
                    problems.add(new Problem("severity", "must be one of " + Severity.allowed()));
                }
            }
            String source = Requests.optionalText(input, "source", 255, problems);
            Instant to = Requests.optionalInstant(input, "to", problems);
            Instant from = Requests.optionalInstant(input, "from", problems);
            int limit = limit(input.get("limit"), problems);
            String cursor = Requests.optionalText(input, "cursor", 2048, problems);
            if (to == null) {
                to = clock.instant();
            }
            if (from == null) {
                from = to.minus(IncidentHistory.DEFAULT_RANGE);
            }
            if (!from.isBefore(to)) {
                problems.add(new Problem("from", "must be before to (" + to + ")"));
            } else if (from.plus(IncidentHistory.MAX_RANGE).isBefore(to)) {
                problems.add(new Problem("from", "the range may span at most "
                        + IncidentHistory.MAX_RANGE.toDays() + " days"));
            }
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            IncidentHistory.Page page;
            try {
                page = history.list(new IncidentHistory.Filter(statuses, severity, source, from, to, limit), cursor);
            } catch (IncidentHistory.BadCursor bad) {
                return Answer.invalid(List.of(new Problem("cursor", bad.getMessage())));
            }
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("incidents");
            page.incidents().forEach(i -> list.add(IncidentJson.of(i)));
            body.put("count", page.incidents().size());
            body.put("next_cursor", page.nextCursor());
            body.put("from", from.toString());
            body.put("to", to.toString());
            return Answer.ok(body);
        });
    }

    private static Set<IncidentStatus> statuses(JsonNode node, List<Problem> problems) {
        Set<IncidentStatus> statuses = EnumSet.noneOf(IncidentStatus.class);
        if (node == null || node.isNull()) {
            return statuses;
        }
        List<String> names = new ArrayList<>();
        if (node.isTextual()) {
            names.addAll(List.of(node.asText().split(",")));
        } else if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            problems.add(new Problem("status", "must be a string or a list of strings"));
            return statuses;
        }
        for (String name : names) {
            try {
                statuses.add(IncidentStatus.fromWire(name.trim()));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("status", "'" + name.trim()
                        + "' is not one of triggered, acknowledged, resolved, suppressed"));
            }
        }
        return statuses;
    }


    private static int limit(JsonNode node, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return IncidentHistory.DEFAULT_PAGE_SIZE;
        }
        int limit;
        if (node.isInt()) {
            limit = node.asInt();
        } else if (node.isTextual() && node.asText().trim().matches("\\d{1,4}")) {
            limit = Integer.parseInt(node.asText().trim());
        } else {
            problems.add(new Problem("limit", "must be a whole number from 1 to " + IncidentHistory.MAX_PAGE_SIZE));
            return IncidentHistory.DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > IncidentHistory.MAX_PAGE_SIZE) {
            problems.add(new Problem("limit", "must be from 1 to " + IncidentHistory.MAX_PAGE_SIZE + ", got " + limit));
        }
        return limit;
    }
}
