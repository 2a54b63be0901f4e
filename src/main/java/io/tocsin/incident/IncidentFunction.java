package io.tocsin.incident;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * The {@code incident} function: one incident with its timeline. Directly: {@code {"incident_id":"…"}}; over API
 * Gateway: {@code GET /incidents/{incident_id}} (200, 404).
 */
public class IncidentFunction {

    @Inject
    IncidentStore incidents;

    @Funq("incident")
    public JsonNode incident(JsonNode event) {
        return Requests.handle(event, input -> {
            List<Problem> problems = new ArrayList<>();
            String id = Requests.requiredText(input, "incident_id", LifecycleFunctions.MAX_ID_CHARS, problems);
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            return incidents.findWithDuplicates(id).map(i -> Answer.ok(IncidentJson.of(i)))
                    .orElseGet(() -> Answer.notFound("incident_id", id));
        });
    }
}
