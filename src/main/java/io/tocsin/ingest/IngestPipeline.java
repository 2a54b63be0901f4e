package io.tocsin.ingest;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.alert.Alert;
import io.tocsin.api.LogFields;
import io.tocsin.api.Problem;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.emf.Emf;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.FirstPage;
import io.tocsin.incident.Incident;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.time.Deadline;

/**
 * Ingest as five steps in a fixed order, each a small class called in turn: validate → normalise → maintenance →
 * dedup → first page. Validate, maintenance and dedup decide and may end ingest with a result; a new incident is paged
 * and recorded by {@link FirstPage}, whose recorded trigger is the created result's delivery.
 *
 * <p>The alert is durable from the dedup stage on: the claim that decides new-or-duplicate stores it, before any
 * PagerDuty call, and is the pending record of the page until the incident is written with the page's outcome. A new
 * alert costs two DynamoDB requests (the claim, the incident), a duplicate one (the claim), a maintenance-suppressed
 * alert one (see {@link FirstPage} for why the new alert's pending record is the claim).
 */
@Singleton
public class IngestPipeline {

    private final ValidateStage validate;
    private final NormaliseStage normalise;
    private final MaintenanceStage maintenance;
    private final DedupStage dedup;
    private final FirstPage firstPage;
    private final OutboxDispatcher dispatcher;
    private final Clock clock;
    private final FaultHook faults;
    private final Emf emf;

    @Inject
    public IngestPipeline(ValidateStage validate, NormaliseStage normalise, MaintenanceStage maintenance,
            DedupStage dedup, FirstPage firstPage, OutboxDispatcher dispatcher, Clock clock, FaultHook faults, Emf emf) {
        this.validate = validate;
        this.normalise = normalise;
        this.maintenance = maintenance;
        this.dedup = dedup;
        this.firstPage = firstPage;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.faults = faults;
        this.emf = emf;
    }

    /**
     * @param event      the alert as JSON
     * @param eventBytes its size as received (the 512 KB limit applies to what the caller sent)
     */
    public IngestResult ingest(JsonNode event, long eventBytes) {
        return ingest(event, eventBytes, null);
    }

    /**
     * As {@link #ingest(JsonNode, long)}, for a caller whose dedup keys live in the space of source prefix
     * {@code keyScope} (a webhook token's; null: the shared space of IAM callers), see {@code KeySpace}.
     */
    public IngestResult ingest(JsonNode event, long eventBytes, String keyScope) {
        List<Problem> problems = validate.check(event, eventBytes);
        if (!problems.isEmpty()) {
            return new IngestResult.Invalid("invalid_alert", problems);
        }
        Alert alert = normalise.apply(event, clock.instant(), keyScope);
        IngestResult result = route(alert);
        emitted(alert, result);
        return result;
    }

    /**
     * AlertsIngested by Severity for every accepted alert, AlertsSuppressed by Reason for suppressed ones,
     * DeliveryFailures when the page failed outright.
     */
    private void emitted(Alert alert, IngestResult result) {
        emf.alertIngested(alert.severity());
        if (result instanceof IngestResult.Suppressed suppressed) {
            emf.alertSuppressed(suppressed.reason().wire());
        } else if (result instanceof IngestResult.Created created && created.delivery() != null
                && created.delivery().state() == DeliveryState.FAILED) {
            emf.deliveryFailed();
        }
    }

    private static IngestResult duplicate(String incidentId, long duplicateCount) {
        LogFields.incident(incidentId);
        return new IngestResult.Suppressed(SuppressionReason.DUPLICATE, incidentId, null, duplicateCount, null);
    }

    private IngestResult route(Alert alert) {
        Optional<IngestResult> suppressed = maintenance.apply(alert);
        if (suppressed.isPresent()) {
            return suppressed.get();
        }
        DedupStage.Decision decision = dedup.apply(alert, UUID.randomUUID().toString());
        if (decision instanceof DedupStage.Decision.Duplicate duplicate) {
            return duplicate(duplicate.incidentId(), duplicate.duplicateCount());
        }
        if (decision instanceof DedupStage.Decision.ForwardRepeat repeat) {
            // the repeat's trigger is written pending, leased to this invocation: send it now
            dispatcher.dispatch(repeat.written(), OutboxDispatcher.Mode.CALLER, Deadline.NONE,
                    Set.of(repeat.entryId()));
            return duplicate(repeat.incidentId(), repeat.duplicateCount());
        }
        if (decision instanceof DedupStage.Decision.Recover recover) {
            LogFields.incident(recover.incident().id());
            Incident recovered = dispatcher.dispatch(recover.incident(), OutboxDispatcher.Mode.CALLER,
                    Deadline.NONE).incident();
            return new IngestResult.Created(recovered.id(), recovered.delivery(), true);
        }
        DedupStage.Decision.Open open = (DedupStage.Decision.Open) decision;
        LogFields.incident(open.incidentId());
        faults.reached(FaultPoint.INGEST_CLAIMED);
        OutboxEntry trigger = firstPage.open(open.incidentId(), open.alert(), open.storedAlert(), open.openedAt());
        faults.reached(FaultPoint.INGEST_RECORDED);
        return new IngestResult.Created(open.incidentId(), trigger.asDelivery(), false);
    }
}
