package io.tocsin.emf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.incident.SuppressionReason;

/** The shape the EMF specification requires: {@code _aws.Timestamp}, {@code _aws.CloudWatchMetrics[]} with
 * Namespace, Dimensions (arrays of dimension names, each present as a root member) and Metrics (Name, Unit, each a
 * root member holding a number). */
class EmfTest {

    @Test
    void lineFollowsTheSpecification() throws Exception {
        Instant at = Instant.parse("2026-11-26T12:00:00Z");
        JsonNode line = new ObjectMapper().readTree(Emf.line(Map.of("Severity", "critical"),
                Map.of("AlertsIngested", Emf.Value.count(1)), at));
        assertEquals(at.toEpochMilli(), line.path("_aws").path("Timestamp").asLong());
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("Tocsin", directive.path("Namespace").asText());
        assertEquals("[[\"Severity\"]]", directive.path("Dimensions").toString());
        assertEquals("AlertsIngested", directive.path("Metrics").get(0).path("Name").asText());
        assertEquals("Count", directive.path("Metrics").get(0).path("Unit").asText());
        assertEquals("critical", line.path("Severity").asText());
        assertTrue(line.path("AlertsIngested").isNumber());
        assertEquals(1.0, line.path("AlertsIngested").asDouble());
    }

    @Test
    void noDimensions() throws Exception {
        JsonNode line = new ObjectMapper().readTree(Emf.line(Map.of(),
                Map.of("TimeToResolve", Emf.Value.seconds(90)), Instant.EPOCH));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("[[]]", directive.path("Dimensions").toString());
        assertEquals("Seconds", directive.path("Metrics").get(0).path("Unit").asText());
        assertEquals(90.0, line.path("TimeToResolve").asDouble());
    }

    @Test
    void theReasonPropertyTakesTheSuppressionReasons() {
        assertEquals(Arrays.stream(SuppressionReason.values()).map(SuppressionReason::wire).toList(),
                Emf.Metric.REASONS);
    }

    /** Six custom metrics in all (each metric × dimension value is billed monthly): the breakdowns are properties. */
    @Test
    void noMetricHasADimensionAndTheBreakdownsAreLogProperties() throws Exception {
        for (Emf.Metric metric : Emf.Metric.values()) {
            assertEquals(null, metric.dimension(), metric.metricName());
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        Emf emf = new Emf(lines::add, java.time.Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
        emf.alertIngested(io.tocsin.alert.Severity.CRITICAL);
        emf.alertSuppressed("maintenance");
        ObjectMapper json = new ObjectMapper();
        JsonNode ingested = json.readTree(lines.get(0));
        assertEquals("[[]]", ingested.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString());
        assertEquals("critical", ingested.path("Severity").asText());
        assertEquals(1.0, ingested.path("AlertsIngested").asDouble());
        JsonNode suppressed = json.readTree(lines.get(1));
        assertEquals("[[]]", suppressed.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString());
        assertEquals("maintenance", suppressed.path("Reason").asText());
    }
}
