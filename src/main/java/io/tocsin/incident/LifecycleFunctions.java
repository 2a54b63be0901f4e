package io.tocsin.incident;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * The {@code acknowledge} and {@code resolve} functions. Directly: {@code {"incident_id":…,"acknowledged_by":…}} and
 * {@code {"incident_id":…,"resolution_notes":…,"resolved_by":…}}; over API Gateway:
 * {@code POST /incidents/{incident_id}/acknowledge} and {@code …/resolve} with the rest in the body. Answers 200,
 * 400 (naming the field), 404 (unknown incident), 409 (not allowed from the incident's state; nothing changed).
 */
public class LifecycleFunctions {

    /** Incident ids are ours (UUIDs), but callers may send anything: bound what is used as a key. */
    static final int MAX_ID_CHARS = 128;

    @Inject
    IncidentLifecycle lifecycle;

    @Funq("acknowledge")
    public JsonNode acknowledge(JsonNode event) {
        return Requests.handle(event, (input, actor) -> {
            List<Problem> problems = new ArrayList<>();
            String id = Requests.requiredText(input, "incident_id", MAX_ID_CHARS, problems);
            String by = Requests.optionalText(input, "acknowledged_by", IncidentLifecycle.MAX_ACTOR_CHARS, problems);
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            return answer(lifecycle.acknowledge(id, by, actor), id, "acknowledged");
        });
    }

    @Funq("resolve")
    public JsonNode resolve(JsonNode event) {
        return Requests.handle(event, (input, actor) -> {
            List<Problem> problems = new ArrayList<>();
            String id = Requests.requiredText(input, "incident_id", MAX_ID_CHARS, problems);
            String notes = Requests.requiredText(input, "resolution_notes",
                    IncidentLifecycle.MAX_RESOLUTION_NOTES_CHARS, problems);
            String by = Requests.optionalText(input, "resolved_by", IncidentLifecycle.MAX_ACTOR_CHARS, problems);
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            return answer(lifecycle.resolve(id, notes, by, actor), id, "resolved");
        });
    }

    static Answer answer(Transition transition, String id, String verb) {
        if (transition instanceof Transition.Applied applied) {
            ObjectNode body = IncidentJson.of(applied.incident());
            body.put(verb, true);
            return Answer.ok(body);
        }
        if (transition instanceof Transition.AlreadyDone done) {
            ObjectNode body = IncidentJson.of(done.incident());
            body.put(verb, false);
            body.put("already_" + verb, true);
            if ("resolved".equals(verb)) {
                // resolving twice is a conflict: the notes of the first resolution stand
                body.put("error", "conflict");
                body.put("message", "incident " + id + " is already resolved; nothing changed");
                body.putArray("problems").addObject().put("field", "incident_id")
                        .put("message", "is already resolved; nothing changed");
                return new Answer(409, body);
            }
            return Answer.ok(body);
        }
        if (transition instanceof Transition.Conflict conflict) {
            ObjectNode body = IncidentJson.of(conflict.incident());
            body.put(verb, false);
            body.put("error", "conflict");
            body.put("message", "incident " + id + " is " + conflict.incident().status().wire() + "; it cannot be "
                    + verb + ". Nothing changed.");
            body.putArray("problems").addObject().put("field", "incident_id").put("message", "is "
                    + conflict.incident().status().wire() + "; it cannot be " + verb);
            return new Answer(409, body);
        }
        return Answer.notFound("incident_id", id);
    }
}
