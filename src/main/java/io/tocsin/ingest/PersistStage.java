package io.tocsin.ingest;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.delivery.Delivery;
import io.tocsin.incident.IncidentStore;

/**
 * Stage 6: records the incident with the outcome of its page, in one write. A pending delivery is indexed for the
 * sweep; a critical incident for the escalation sweep.
 */
@Singleton
public class PersistStage {

    private final IncidentStore incidents;

    @Inject
    public PersistStage(IncidentStore incidents) {
        this.incidents = incidents;
    }

    /** @return false when a concurrent recovery recorded the incident first */
    public boolean apply(DedupStage.Decision.Open open, Delivery delivery) {
        return incidents.recordTriggered(open.incidentId(), open.alert(), open.storedAlert(), delivery,
                open.openedAt());
    }
}
