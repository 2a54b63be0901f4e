package io.tocsin.incident;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.dedup.DedupStore;

/**
 * The open incident of a dedup key, for a resolve sent by key (Alertmanager's and Grafana's resolved alerts, a
 * CloudWatch alarm back to OK), found through the key's dedup claim: one GetItem of the claim and one of the incident
 * it holds, whatever the number of open incidents (the claim holds the key's one live incident until it is resolved;
 * it expires {@code DedupStore.CLAIM_RETENTION} after the key's last alert).
 */
@Singleton
public class OpenByKey {

    private final DedupStore claims;
    private final IncidentStore incidents;

    @Inject
    public OpenByKey(DedupStore claims, IncidentStore incidents) {
        this.claims = claims;
        this.incidents = incidents;
    }

    /**
     * The key's open incident, through its claim only: empty when the key has no claim (never seen, or silent for
     * longer than the claim lives), when the claim is closed (resolved) or when its incident is not open.
     */
    public List<Incident> byClaim(String dedupKey) {
        return claims.state(dedupKey).map(this::held).orElse(List.of());
    }

    private List<Incident> held(DedupStore.ClaimState claim) {
        if (claim.closed()) {
            return List.of();
        }
        return incidents.findAsStored(claim.incidentId()).filter(OpenByKey::isOpen).stream().toList();
    }

    /**
     * As {@link #byClaim}, and when the key has no claim at all, the open incidents with the key through the
     * {@code open} index ({@link IncidentStore#openWithDedupKey}): for a CloudWatch alarm, which notifies once per
     * state change and may stay in ALARM longer than a claim lives. Only for IAM-authenticated senders.
     */
    public List<Incident> byClaimOrOpenIndex(String dedupKey) {
        Optional<DedupStore.ClaimState> claim = claims.state(dedupKey);
        return claim.isEmpty() ? incidents.openWithDedupKey(dedupKey) : held(claim.get());
    }

    private static boolean isOpen(Incident incident) {
        return incident.status() == IncidentStatus.TRIGGERED || incident.status() == IncidentStatus.ACKNOWLEDGED;
    }
}
