package io.tocsin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * What one sweep costs: with 5,000 resolved incidents and 20 due ones in the table, the sweep reads only the due
 * items through the sparse indexes. Its own application start, so that the table holds exactly this fixture.
 */
@QuarkusTest
@TestProfile(SweepCostTest.OwnTable.class)
class SweepCostTest {

    public static class OwnTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.enabled", "false");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IncidentStore incidents;
    @Inject
    io.tocsin.incident.IncidentWrites writes;
    @Inject
    io.tocsin.incident.IncidentTransitions transitions;
    @Inject
    SweepFunction sweep;
    @Inject
    MutableClock clock;

    private void incident(String id, Severity severity, Instant at) {
        Alert alert = new Alert(severity, "fixture " + id, "", "cost-fixture", JSON.createObjectNode(), "k-" + id,
                false, null, at);
        writes.recordTriggered(id, alert, AlertCodec.encode(alert),
                io.tocsin.support.Outboxes.trigger(new Delivery(DeliveryState.DELIVERED, 1, 202, List.of(), null, false), at), at);
    }

    @Test
    void aSweepReadsOnlyWhatIsDue() throws Exception {
        PagerDutyFake.reset();
        Instant t0 = Instant.parse("2027-03-01T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            work.add(pool.submit(() -> {
                String id = UUID.randomUUID().toString();
                incident(id, Severity.CRITICAL, t0);
                transitions.resolve(id, "fixture", "resolved in the fixture", t0.plusSeconds(60), List.of());
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        List<String> due = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = UUID.randomUUID().toString();
            incident(id, Severity.CRITICAL, t0);
            due.add(id);
        }
        clock.set(t0.plus(Duration.ofMinutes(15)));
        var measured = DynamoRequestMeter.measure(() -> sweep.sweep(null));
        assertEquals(20, measured.result().path("escalated").size());
        Map<String, Integer> requests = measured.requests();
        System.out.printf("Sweep over 5,000 resolved + 20 due incidents: %s%n", requests);
        assertEquals(5, requests.getOrDefault("Query", 0), "one index page each for escalations, heartbeats, claims "
                + "whose lease ended, and deliveries; the on-call partition (handoff notices: no schedule here)");
        assertEquals(2, requests.getOrDefault("GetItem", 0), "the claims cursor, the rollups' state");
        // the first sweep after the upgrade starts the rollups (one PutItem, once); the 5,000 incidents closed before
        // it are never folded (RollupsTest measures what a fold costs: O(closures), not O(history))
        assertEquals(1, requests.getOrDefault("PutItem", 0), "the rollups' state, written by the first sweep");
        assertEquals(40, requests.getOrDefault("UpdateItem", 0), "per due incident: the level, then its outcome");
        assertTrue(requests.getOrDefault("Scan", 0) == 0);
        assertEquals(48, measured.total());
    }
}
