package io.tocsin.ingest;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.config.Settings;
import io.tocsin.dedup.DedupStore;
import io.tocsin.incident.IncidentStore;

/**
 * Stage 4: claims the alert's dedup key. The claim stores the alert, so from here on it cannot be lost. A duplicate is
 * counted on the original incident and stops here. A retry that finds the original claim never turned into an
 * incident (the invocation that claimed it died) takes the work over once the claim's lease has run out.
 */
@Singleton
public class DedupStage {

    private static final Logger LOG = Logger.getLogger(DedupStage.class);

    /** What the rest of the pipeline does with the alert. */
    public sealed interface Decision {
        /** Record and page incident {@code incidentId}, opened by {@code alert} at {@code openedAt}. */
        record Open(String incidentId, Alert alert, byte[] storedAlert, Instant openedAt, boolean recovered)
                implements Decision {
        }

        record Duplicate(String incidentId, long duplicateCount) implements Decision {
        }
    }

    private final DedupStore claims;
    private final IncidentStore incidents;
    private final Settings settings;

    @Inject
    public DedupStage(DedupStore claims, IncidentStore incidents, Settings settings) {
        this.claims = claims;
        this.incidents = incidents;
        this.settings = settings;
    }

    public Decision apply(Alert alert, String candidateId) {
        byte[] stored = AlertCodec.encode(alert);
        Instant now = alert.receivedAt();
        DedupStore.Claim claim = claims.claim(alert.dedupKey(), candidateId, stored, now);
        if (claim instanceof DedupStore.Claim.Won won) {
            return new Decision.Open(won.incidentId(), alert, stored, now, false);
        }
        DedupStore.Claim.Held held = (DedupStore.Claim.Held) claim;
        var recorded = incidents.recordDuplicate(held.incidentId(), held.duplicateCount(), now);
        boolean leaseOver = !now.isBefore(held.claimedAt().plus(settings.ingest().claimLease()));
        if (recorded == IncidentStore.DuplicateRecorded.NOT_YET_RECORDED && leaseOver) {
            LOG.warnf("Incident %s was claimed at %s but never recorded; recovering it from the stored alert",
                    held.incidentId(), held.claimedAt());
            return new Decision.Open(held.incidentId(), AlertCodec.decode(held.alert()), held.alert(),
                    held.claimedAt(), true);
        }
        return new Decision.Duplicate(held.incidentId(), held.duplicateCount());
    }
}
