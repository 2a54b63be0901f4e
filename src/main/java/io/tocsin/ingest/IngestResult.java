package io.tocsin.ingest;

import io.tocsin.api.Problem;
import java.util.List;

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
}
