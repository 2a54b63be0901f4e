package io.tocsin.ingest;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.api.Problem;
import io.tocsin.delivery.Delivery;
import io.tocsin.incident.SuppressionReason;

/** What the ingest pipeline did with one event. */
public sealed interface IngestResult {

    /** A new incident was recorded (and paged unless PagerDuty is disabled). */
    record Created(String incidentId, Delivery delivery, boolean recovered) implements IngestResult {
    }

    /** Recorded but not paged: {@code reason} is duplicate (incidentId = the original) or maintenance. */
    record Suppressed(SuppressionReason reason, String incidentId, String recordId, long duplicateCount,
            String windowId) implements IngestResult {
    }

    /** Rejected; nothing was stored. */
    record Invalid(String error, List<Problem> problems) implements IngestResult {
    }

    /** The HTTP status of this result on an API Gateway route: 201 created, 200 suppressed, 400 invalid. */
    default int httpStatus() {
        if (this instanceof Created) {
            return 201;
        }
        return this instanceof Suppressed ? 200 : 400;
    }

    /**
     * The answer every way in gives: {@code {"status":"created","incident_id":…}},
     * {@code {"status":"suppressed","reason":…,"incident_id":…}}, or the problems.
     */
    default ObjectNode answer() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (this instanceof Created created) {
            answer.put("status", "created");
            answer.put("incident_id", created.incidentId());
            answer.put("delivery", created.delivery().state().wire());
            if (created.recovered()) {
                answer.put("recovered", true);
            }
        } else if (this instanceof Suppressed suppressed) {
            answer.put("status", "suppressed");
            answer.put("reason", suppressed.reason().wire());
            answer.put("incident_id", suppressed.incidentId());
            if (suppressed.recordId() != null) {
                answer.put("alert_id", suppressed.recordId());
            }
            if (suppressed.windowId() != null) {
                answer.put("maintenance_window", suppressed.windowId());
            }
            if (suppressed.duplicateCount() > 0) {
                answer.put("duplicate_count", suppressed.duplicateCount());
            }
        } else if (this instanceof Invalid invalid) {
            answer.put("error", invalid.error());
            ArrayNode problems = answer.putArray("problems");
            invalid.problems().forEach(p -> problems.addObject().put("field", p.field()).put("message", p.message()));
        }
        return answer;
    }
}
