package io.tocsin.ingest;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.incident.FirstPage;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.pagerduty.PagerDutyNotifier;

/**
 * Writes the incident of a claim that was never turned into one (its invocation died after the claim, or is still
 * sending the page): from the alert the claim stored, with the trigger pending. While the claim's lease runs the
 * trigger stays leased to the invocation that claimed it (which may still record it); after that it is due at once.
 */
@Singleton
public class ClaimRecovery {

    private final IncidentWrites writes;
    private final IncidentStore reads;
    private final PagerDutyNotifier pagerDuty;
    private final Settings settings;
    private final io.tocsin.oncall.runtime.PolicyRouter router;

    @Inject
    public ClaimRecovery(IncidentWrites writes, IncidentStore reads, PagerDutyNotifier pagerDuty, Settings settings,
            io.tocsin.oncall.runtime.PolicyRouter router) {
        this.router = router;
        this.writes = writes;
        this.reads = reads;
        this.pagerDuty = pagerDuty;
        this.settings = settings;
    }

    /** @return the incident as stored (written now, or by whoever was first) */
    public Incident record(String incidentId, byte[] storedAlert, Instant claimedAt, Instant now) {
        Alert alert = AlertCodec.decode(storedAlert);
        Instant leaseEnd = claimedAt.plus(settings.ingest().claimLease());
        OutboxEntry trigger = FirstPage.initialTrigger(claimedAt, leaseEnd.isAfter(now) ? leaseEnd : null);
        var first = router.firstStep(alert, claimedAt, trigger.leaseUntil()); // the policy routing gave the original
        if (first.isPresent() && !first.get().notices().pagesPagerDuty()) {
            trigger = FirstPage.notPaged(trigger, first.get().policy(), now);
        } else if (!pagerDuty.enabled()) {
            trigger = trigger.closed(DeliveryState.DISABLED, null, now);
        }
        List<OutboxEntry> effects = new java.util.ArrayList<>(List.of(trigger));
        first.ifPresent(f -> effects.addAll(FirstPage.notices(f)));
        writes.recordTriggered(incidentId, alert, storedAlert, effects, claimedAt, first.orElse(null));
        return reads.findAsStored(incidentId).orElseThrow();
    }

    /** Whether the lease of a claim made at {@code claimedAt} has run out at {@code now}. */
    public boolean leaseOver(Instant claimedAt, Instant now) {
        return !now.isBefore(claimedAt.plus(settings.ingest().claimLease()));
    }
}
