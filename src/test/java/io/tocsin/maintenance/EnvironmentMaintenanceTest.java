package io.tocsin.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.IncidentStore;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.incident.Transition;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/** MAINTENANCE_MODE/START/END: alerts inside the window are recorded with reason maintenance and not paged. */
@QuarkusTest
@TestProfile(EnvironmentMaintenanceTest.Window.class)
class EnvironmentMaintenanceTest {

    public static class Window implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maintenance.mode", "true",
                    "maintenance.start", "2026-11-26T11:00:00Z",
                    "maintenance.end", "2026-11-26T14:00:00+01:00"); // 13:00 UTC
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0]
                    : record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentStore incidents;
    @Inject
    MutableClock clock;
    @Inject
    io.tocsin.incident.IncidentLifecycle lifecycle;

    @BeforeEach
    void setUp() {
        PagerDutyFake.reset();
        Logger.getLogger("io.tocsin.ingest.MaintenanceStage").addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("io.tocsin.ingest.MaintenanceStage").removeHandler(capture);
    }

    private IngestResult ingest(String title) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "critical").put("title", title)
                .put("source", "maint-" + UUID.randomUUID());
        return pipeline.ingest(alert, alert.toString().length());
    }

    @Test
    void insideTheWindowTheAlertIsRecordedNotPagedAndLogged() {
        clock.set(Instant.parse("2026-11-26T12:59:59.999Z"));
        var suppressed = assertInstanceOf(IngestResult.Suppressed.class, ingest("Cache failure during deploy"));
        assertEquals(SuppressionReason.MAINTENANCE, suppressed.reason());
        assertNull(suppressed.incidentId());
        assertEquals(MaintenanceWindow.ENVIRONMENT_ID, suppressed.windowId());

        var record = incidents.findAsStored(suppressed.recordId()).orElseThrow();
        assertEquals(IncidentStatus.SUPPRESSED, record.status());
        assertEquals(SuppressionReason.MAINTENANCE, record.suppressedReason());
        assertEquals("Cache failure during deploy", record.alert().title());
        assertTrue(PagerDutyFake.events().isEmpty(), "nothing paged");
        assertTrue(logged.contains("Alert suppressed during maintenance: Cache failure during deploy"), logged.toString());
    }

    @Test
    void acknowledgmentsAndResolutionsAreNeverSuppressed() {
        clock.set(Instant.parse("2026-11-26T10:30:00Z"));
        String id = assertInstanceOf(IngestResult.Created.class, ingest("DB failover")).incidentId();
        PagerDutyFake.reset();
        clock.set(Instant.parse("2026-11-26T12:00:00Z")); // inside the window
        assertInstanceOf(Transition.Applied.class, lifecycle.acknowledge(id, "alice"));
        assertInstanceOf(Transition.Applied.class, lifecycle.resolve(id, "failed back", "alice"));
        assertEquals(List.of("acknowledge", "resolve"), PagerDutyFake.eventsFor(id).stream()
                .map(e -> e.path("event_action").asText()).toList(), "both reached PagerDuty during maintenance");
        assertEquals(IncidentStatus.RESOLVED, incidents.findAsStored(id).orElseThrow().status());
    }

    @Test
    void theWindowStartIsInclusiveAndItsEndExclusive() {
        clock.set(Instant.parse("2026-11-26T10:59:59.999Z"));
        assertInstanceOf(IngestResult.Created.class, ingest("before"));
        clock.set(Instant.parse("2026-11-26T11:00:00Z"));
        assertInstanceOf(IngestResult.Suppressed.class, ingest("at start"));
        clock.set(Instant.parse("2026-11-26T13:00:00Z"));
        var after = assertInstanceOf(IngestResult.Created.class, ingest("at end"));
        assertEquals(1, PagerDutyFake.eventsFor(after.incidentId()).size());
    }
}
