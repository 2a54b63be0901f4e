package io.tocsin.ingest;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.alert.Alert;
import io.tocsin.api.Problem;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.SuppressionReason;

/**
 * Ingest as a chain of small stages, each free to end the chain with a result (the way Alertmanager composes its
 * notify stages): validate → normalise → maintenance → dedup → deliver → persist.
 *
 * <p>The alert is durable from the dedup stage on: the claim that decides new-or-duplicate stores it, before any
 * PagerDuty call, and is the pending record of the page until the incident is written with the page's outcome. A new
 * alert costs two DynamoDB requests (the claim, the incident), a duplicate one (the claim), a maintenance-suppressed
 * alert one.
 */
@Singleton
public class IngestPipeline {

    private final ValidateStage validate;
    private final NormaliseStage normalise;
    private final MaintenanceStage maintenance;
    private final DedupStage dedup;
    private final DeliverStage deliver;
    private final PersistStage persist;
    private final Clock clock;
    private final FaultHook faults;

    @Inject
    public IngestPipeline(ValidateStage validate, NormaliseStage normalise, MaintenanceStage maintenance,
            DedupStage dedup, DeliverStage deliver, PersistStage persist, Clock clock, FaultHook faults) {
        this.validate = validate;
        this.normalise = normalise;
        this.maintenance = maintenance;
        this.dedup = dedup;
        this.deliver = deliver;
        this.persist = persist;
        this.clock = clock;
        this.faults = faults;
    }

    /**
     * @param event      the alert as JSON
     * @param eventBytes its size as received (the 512 KB limit applies to what the caller sent)
     */
    public IngestResult ingest(JsonNode event, long eventBytes) {
        List<Problem> problems = validate.check(event, eventBytes);
        if (!problems.isEmpty()) {
            return new IngestResult.Invalid("invalid_alert", problems);
        }
        Alert alert = normalise.apply(event, clock.instant());
        IngestResult result = route(alert);
        io.tocsin.metrics.Emf.ingested(alert.severity(), result, clock.instant());
        return result;
    }

    private IngestResult route(Alert alert) {
        Optional<IngestResult> suppressed = maintenance.apply(alert);
        if (suppressed.isPresent()) {
            return suppressed.get();
        }
        DedupStage.Decision decision = dedup.apply(alert, UUID.randomUUID().toString());
        if (decision instanceof DedupStage.Decision.Duplicate duplicate) {
            return new IngestResult.Suppressed(SuppressionReason.DUPLICATE, duplicate.incidentId(), null,
                    duplicate.duplicateCount(), null);
        }
        if (decision instanceof DedupStage.Decision.Recovered recovered) {
            return new IngestResult.Created(recovered.incident().id(), recovered.incident().delivery(), true);
        }
        DedupStage.Decision.Open open = (DedupStage.Decision.Open) decision;
        faults.reached(FaultPoint.INGEST_CLAIMED);
        var sent = deliver.apply(open);
        faults.reached(FaultPoint.INGEST_PAGED);
        OutboxEntry trigger = persist.apply(open, sent);
        faults.reached(FaultPoint.INGEST_RECORDED);
        return new IngestResult.Created(open.incidentId(), trigger.asDelivery(), false);
    }
}
