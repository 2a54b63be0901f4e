package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.store.DynamoRequestMeter;

/** The DynamoDB requests of an alert suppressed by MAINTENANCE_MODE (the fourth ingest path of BENCHMARKS.md). */
@QuarkusTest
@Tag("bench")
@TestProfile(MaintenanceCostBenchTest.MaintenanceOn.class)
class MaintenanceCostBenchTest {

    public static class MaintenanceOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return BenchSupport.quarkusOverrides(Map.of("pagerduty.enabled", "false", "maintenance.mode", "true"));
        }
    }

    @Inject
    IngestPipeline pipeline;

    @Test
    void aMaintenanceSuppressedAlertIsOnePut() {
        ObjectNode event = BenchSupport.alert("maint-" + UUID.randomUUID(), 0);
        var suppressed = DynamoRequestMeter.measure(() -> pipeline.ingest(event, event.toString().length()));
        var result = assertInstanceOf(IngestResult.Suppressed.class, suppressed.result());
        assertEquals(SuppressionReason.MAINTENANCE, result.reason());
        BenchSupport.print("\n=== BENCH dynamodb requests per ingest path (DynamoRequestMeter.measure) ===\n"
                + "maintenance-suppressed:       " + suppressed.requests());
        assertEquals(Map.of("PutItem", 1), suppressed.requests());
    }
}
