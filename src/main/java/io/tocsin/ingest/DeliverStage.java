package io.tocsin.ingest;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.pagerduty.PagerDutyNotifier;

/**
 * Stage 5: pages the new incident through PagerDuty (a few attempts with short backoff) and reports how it went; never
 * throws for PagerDuty's failures. The claim written by the dedup stage is this page's pending record: if the
 * invocation dies before the next stage writes the incident, the claim is recovered and the page sent again under the
 * same dedup_key.
 */
@Singleton
public class DeliverStage {

    private final PagerDutyNotifier pagerDuty;
    private final OutboxDispatcher dispatcher;

    @Inject
    public DeliverStage(PagerDutyNotifier pagerDuty, OutboxDispatcher dispatcher) {
        this.pagerDuty = pagerDuty;
        this.dispatcher = dispatcher;
    }

    /** @return how the trigger went, or null when PagerDuty is disabled (nothing sent) */
    public OutboxDispatcher.Sent apply(DedupStage.Decision.Open open) {
        if (!pagerDuty.enabled()) {
            return null;
        }
        return dispatcher.sendPagerDuty(PagerDutyAction.TRIGGER, open.incidentId(), open.alert(),
                OutboxDispatcher.Mode.CALLER);
    }
}
