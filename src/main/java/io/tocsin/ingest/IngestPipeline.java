package io.tocsin.ingest;

import io.tocsin.api.Problem;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.alert.Alert;
import io.tocsin.delivery.Delivery;
import io.tocsin.incident.SuppressionReason;

/**
 * Ingest as a chain of small stages, each free to end the chain with a result (the way Alertmanager composes its
 * notify stages): validate → normalise → maintenance → dedup → deliver → persist.
 *
 * <p>The alert is durable from the dedup stage on: the claim that decides new-or-duplicate stores it, before any
 * PagerDuty call. The incident item is then written once, with the outcome of the page. A new alert costs two
 * DynamoDB requests, a duplicate two, a maintenance-suppressed alert one.
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

    @Inject
    public IngestPipeline(ValidateStage validate, NormaliseStage normalise, MaintenanceStage maintenance,
            DedupStage dedup, DeliverStage deliver, PersistStage persist, Clock clock) {
        this.validate = validate;
        this.normalise = normalise;
        this.maintenance = maintenance;
        this.dedup = dedup;
        this.deliver = deliver;
        this.persist = persist;
        this.clock = clock;
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
        Optional<IngestResult> suppressed = maintenance.apply(alert);
        if (suppressed.isPresent()) {
            io.tocsin.metrics.Emf.ingested(alert.severity(), suppressed.get(), clock.instant());
            return suppressed.get();
        }
        DedupStage.Decision decision = dedup.apply(alert, UUID.randomUUID().toString());
        if (decision instanceof DedupStage.Decision.Duplicate duplicate) {
            IngestResult result = new IngestResult.Suppressed(SuppressionReason.DUPLICATE, duplicate.incidentId(),
                    null, duplicate.duplicateCount(), null);
            io.tocsin.metrics.Emf.ingested(alert.severity(), result, clock.instant());
            return result;
        }
        DedupStage.Decision.Open open = (DedupStage.Decision.Open) decision;
        Delivery delivery = deliver.apply(open);
        persist.apply(open, delivery);
        IngestResult created = new IngestResult.Created(open.incidentId(), delivery, open.recovered());
        io.tocsin.metrics.Emf.ingested(alert.severity(), created, clock.instant());
        return created;
    }
}
