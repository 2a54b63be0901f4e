package io.tocsin.oncall.function;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.oncall.document.DocumentWriter;
import io.tocsin.oncall.document.InvalidDocumentException;
import io.tocsin.oncall.importer.ImportException;
import io.tocsin.oncall.importer.ImportResult;
import io.tocsin.oncall.importer.OpsgenieImporter;
import io.tocsin.oncall.importer.PagerDutyImporter;

/**
 * {@code import}: a vendor's schedule export turned into an on-call document, answered for the user to review, keep
 * in git and {@code apply}; nothing is stored. {@code source} {@code opsgenie} with {@code schedule} (the body of
 * {@code GET /v2/schedules/{id}}) and optional {@code overrides} ({@code GET /v2/schedules/{id}/overrides}), or
 * {@code pagerduty} with {@code schedule} ({@code GET /schedules/{id}}) and optional {@code policies} (bodies of
 * {@code GET /escalation_policies/{id}}).
 */
@Singleton
public class OnCallImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    Answer read(JsonNode input) {
        String source = input.path("source").asText("");
        JsonNode schedule = input.get("schedule");
        List<Problem> problems = new ArrayList<>();
        if (!source.equals("opsgenie") && !source.equals("pagerduty")) {
            problems.add(new Problem("source", "must be opsgenie or pagerduty"));
        }
        if (schedule == null || !schedule.isObject()) {
            problems.add(new Problem("schedule", "is required: the vendor's schedule response as a JSON object"));
        }
        JsonNode extra = input.get(source.equals("pagerduty") ? "policies" : "overrides");
        if (extra != null && !extra.isNull() && !(source.equals("pagerduty") ? extra.isArray() : extra.isObject())) {
            problems.add(new Problem(source.equals("pagerduty") ? "policies" : "overrides",
                    source.equals("pagerduty") ? "must be an array of escalation policy responses"
                            : "must be the overrides response as a JSON object"));
        }
        if (!problems.isEmpty()) {
            return Answer.invalid(problems);
        }
        ImportResult result;
        try {
            if (source.equals("opsgenie")) {
                result = OpsgenieImporter.read(schedule, extra == null || extra.isNull() ? null : extra);
            } else {
                List<JsonNode> policies = new ArrayList<>();
                if (extra != null && extra.isArray()) {
                    extra.forEach(policies::add);
                }
                result = PagerDutyImporter.read(schedule, policies);
            }
        } catch (ImportException e) {
            return Answer.invalid(List.of(new Problem("schedule" + e.path().substring(1), e.getMessage())));
        } catch (InvalidDocumentException e) {
            return Answer.invalid(e.problems().stream()
                    .map(p -> new Problem("document" + p.path().substring(1), p.message())).toList());
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("document", DocumentWriter.tree(result.document()));
        result.notes().forEach(body.withArray("notes")::add);
        return Answer.ok(body);
    }
}
