package io.tocsin.ingest;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.delivery.Delivery;
import io.tocsin.pagerduty.PagerDutyNotifier;

/** Stage 5: pages the new incident through PagerDuty and reports how it went (never throws for PagerDuty's failures). */
@Singleton
public class DeliverStage {

    private final PagerDutyNotifier pagerDuty;

    @Inject
    public DeliverStage(PagerDutyNotifier pagerDuty) {
        this.pagerDuty = pagerDuty;
    }

    public Delivery apply(DedupStage.Decision.Open open) {
        return pagerDuty.trigger(open.incidentId(), open.alert());
    }
}
