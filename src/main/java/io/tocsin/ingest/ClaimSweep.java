package io.tocsin.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.dedup.ClaimIndex;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.time.Deadline;

/**
 * The sweep's pass over dedup claims: every claim whose lease has ended is checked once, in lease order, from a cursor
 * kept in the table; a claim whose incident was never written (its invocation died between the claim and the incident
 * write) is finished: the incident written from the stored alert, its trigger sent. Safe to overlap: finishing is
 * idempotent and the cursor only moves forward by a conditional write.
 */
@Singleton
public class ClaimSweep {

    private static final Logger LOG = Logger.getLogger(ClaimSweep.class);
    /** Claims read per Query. */
    static final int PAGE = 100;

    public record Report(int checked, int recovered, boolean complete) {
    }

    private final ClaimIndex index;
    private final IncidentStore incidents;
    private final ClaimRecovery recovery;
    private final OutboxDispatcher dispatcher;
    private final Clock clock;
    private final io.tocsin.config.Settings settings;

    @Inject
    public ClaimSweep(ClaimIndex index, IncidentStore incidents, ClaimRecovery recovery,
            OutboxDispatcher dispatcher, Clock clock, io.tocsin.config.Settings settings) {
        this.settings = settings;
        this.index = index;
        this.incidents = incidents;
        this.recovery = recovery;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    private java.time.Duration margin() {
        return settings.sweep().stepMargin();
    }

    public Report run(Instant now, Deadline deadline) {
        int checked = 0;
        int recovered = 0;
        String cursor = index.claimsCursor();
        while (deadline.allows(margin())) {
            List<ClaimIndex.DueClaim> due = index.dueClaims(cursor, now, PAGE);
            if (due.isEmpty()) {
                return new Report(checked, recovered, true);
            }
            String verified = cursor;
            for (ClaimIndex.DueClaim claim : due) {
                if (!deadline.allows(margin())) {
                    break;
                }
                checked++;
                if (incidents.findAsStored(claim.incidentId()).isEmpty()) {
                    // the claim's holder now (its index entry may name another id: see ClaimIndex.find)
                    var stored = index.find(claim.claimPartitionKey()).filter(held -> held.incidentId()
                            .equals(claim.incidentId()) || incidents.findAsStored(held.incidentId()).isEmpty());
                    if (stored.isPresent()) {
                        LOG.warnf("Incident %s was claimed at %s but never recorded; the sweep finishes it",
                                stored.get().incidentId(), stored.get().claimedAt());
                        var incident = recovery.record(stored.get().incidentId(), stored.get().alert(),
                                stored.get().claimedAt(), clock.instant());
                        dispatcher.dispatch(incident, OutboxDispatcher.Mode.SWEEP, deadline);
                        recovered++;
                    }
                }
                verified = claim.sortKey();
            }
            if (verified.equals(cursor) || !index.advanceClaimsCursor(cursor, verified)) {
                return new Report(checked, recovered, false);
            }
            cursor = verified;
        }
        return new Report(checked, recovered, false);
    }
}
