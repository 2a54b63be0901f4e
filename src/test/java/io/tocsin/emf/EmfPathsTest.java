package io.tocsin.emf;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.sweep.EscalationSweep;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.Transition;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.RecordedMetrics;

/**
 * The metric lines the real paths write: ingest (new, duplicate, a refused page), acknowledge, resolve and the
 * escalation sweep, each line checked whole against the EMF shape (namespace, dimension set, unit, value, timestamp
 * from the injected clock). Removing an emission from any of these paths fails a test here.
 */
@QuarkusTest
class EmfPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger DAY = new AtomicInteger();

    @Inject
    IngestPipeline pipeline;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    EscalationSweep sweep;
    @Inject
    MutableClock clock;
    @Inject
    RecordedMetrics metrics;

    private Instant t0;

    @BeforeEach
    void reset() {
        PagerDutyFake.reset();
        // a day of its own, far from other tests' incidents, so that the sweep here escalates only this test's
        t0 = Instant.parse("2034-03-01T00:00:00Z").plus(Duration.ofDays(DAY.incrementAndGet()));
        clock.set(t0);
        metrics.clear();
    }

    private IngestResult ingest(String severity, String source) {
        ObjectNode alert = JSON.createObjectNode().put("severity", severity).put("title", "Checkout failing")
                .put("source", source);
        return pipeline.ingest(alert, alert.toString().length());
    }

    /** Asserts one EMF line: namespace Tocsin, the one metric with its unit and value, the dimension set. */
    private void assertLine(JsonNode line, String metric, String unit, double value, String dimension,
            String dimensionValue, Instant at) {
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(at.toEpochMilli(), line.path("_aws").path("Timestamp").asLong(), line.toString());
        assertEquals(Emf.NAMESPACE, directive.path("Namespace").asText());
        assertEquals(1, directive.path("Metrics").size(), line.toString());
        assertEquals(metric, directive.path("Metrics").get(0).path("Name").asText());
        assertEquals(unit, directive.path("Metrics").get(0).path("Unit").asText());
        assertEquals(value, line.path(metric).asDouble(), 0.0001, line.toString());
        if (dimension == null) {
            assertEquals("[[]]", directive.path("Dimensions").toString(), line.toString());
        } else {
            assertEquals("[[\"" + dimension + "\"]]", directive.path("Dimensions").toString(), line.toString());
            assertEquals(dimensionValue, line.path(dimension).asText(), line.toString());
        }
    }

    @Test
    void aNewAlertAndItsDuplicate() {
        String source = "emf-" + UUID.randomUUID();
        assertInstanceOf(IngestResult.Created.class, ingest("critical", source));
        List<JsonNode> lines = metrics.lines();
        assertEquals(1, lines.size(), lines.toString());
        assertLine(lines.get(0), "AlertsIngested", "Count", 1, null, null, t0);
        assertEquals("critical", lines.get(0).path("Severity").asText(), "a log property, not a dimension");

        metrics.clear();
        clock.set(t0.plusSeconds(10));
        assertInstanceOf(IngestResult.Suppressed.class, ingest("critical", source));
        lines = metrics.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertLine(lines.get(0), "AlertsIngested", "Count", 1, null, null, t0.plusSeconds(10));
        assertLine(lines.get(1), "AlertsSuppressed", "Count", 1, null, null, t0.plusSeconds(10));
        assertEquals("duplicate", lines.get(1).path("Reason").asText(), "a log property, not a dimension");
    }

    @Test
    void aPageRefusedByPagerDutyIsADeliveryFailure() {
        PagerDutyFake.server().resetAll();
        PagerDutyFake.server().stubFor(post(urlEqualTo(PagerDutyFake.ENQUEUE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[]}")));
        assertInstanceOf(IngestResult.Created.class, ingest("high", "emf-" + UUID.randomUUID()));
        List<JsonNode> failures = metrics.of("DeliveryFailures");
        assertEquals(1, failures.size(), metrics.lines().toString());
        assertLine(failures.get(0), "DeliveryFailures", "Count", 1, null, null, t0);
        assertLine(metrics.of("AlertsIngested").get(0), "AlertsIngested", "Count", 1, null, null, t0);
        assertEquals("high", metrics.of("AlertsIngested").get(0).path("Severity").asText());
    }

    @Test
    void acknowledgeAndResolveWriteTheirTimes() {
        String id = ((IngestResult.Created) ingest("high", "emf-" + UUID.randomUUID())).incidentId();
        metrics.clear();
        clock.set(t0.plusSeconds(90));
        assertInstanceOf(Transition.Applied.class, lifecycle.acknowledge(id, "alice"));
        List<JsonNode> lines = metrics.lines();
        assertEquals(1, lines.size(), lines.toString());
        assertLine(lines.get(0), "TimeToAcknowledge", "Seconds", 90, null, null, t0.plusSeconds(90));

        metrics.clear();
        assertInstanceOf(Transition.AlreadyDone.class, lifecycle.acknowledge(id, "bob"));
        assertEquals(List.of(), metrics.lines(), "a repeated acknowledgment is not measured again");

        clock.set(t0.plusSeconds(300));
        assertInstanceOf(Transition.Applied.class, lifecycle.resolve(id, "fixed", "alice"));
        lines = metrics.lines();
        assertEquals(1, lines.size(), lines.toString());
        assertLine(lines.get(0), "TimeToResolve", "Seconds", 300, null, null, t0.plusSeconds(300));
    }

    @Test
    void everyEscalationTheSweepMakesIsCounted() {
        // escalations that other tests' incidents (same table) have due are made now, before counting
        sweep.run(clock.instant());
        String id = ((IngestResult.Created) ingest("critical", "emf-" + UUID.randomUUID())).incidentId();
        metrics.clear();
        clock.set(t0.plus(Duration.ofMinutes(15)));
        assertEquals(List.of(id), sweep.run(clock.instant()), "level 2 at ALERT_ESCALATION_TIMEOUT");
        List<JsonNode> lines = metrics.of("Escalations");
        assertEquals(1, lines.size(), metrics.lines().toString());
        assertLine(lines.get(0), "Escalations", "Count", 1, null, null, t0.plus(Duration.ofMinutes(15)));
    }
}
