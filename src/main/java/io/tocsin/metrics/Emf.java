package io.tocsin.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Embedded Metric Format: one JSON log line per metric event, written to standard output (which Lambda
 * sends to CloudWatch Logs, where the metrics are extracted). Namespace {@value #NAMESPACE}.
 */
public final class Emf {

    public static final String NAMESPACE = "Tocsin";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every metric Tocsin emits, with its one dimension (or none) and the values that dimension takes. template.yaml's
     * CloudWatch dashboard graphs each of them (CloudWatchDashboardTest checks it).
     */
    public enum Metric {
        ALERTS_INGESTED("AlertsIngested", "Severity",
                java.util.Arrays.stream(io.tocsin.alert.Severity.values()).map(io.tocsin.alert.Severity::wire).toList()),
        ALERTS_SUPPRESSED("AlertsSuppressed", "Reason", java.util.Arrays.stream(
                io.tocsin.incident.SuppressionReason.values()).map(io.tocsin.incident.SuppressionReason::wire).toList()),
        DELIVERY_FAILURES("DeliveryFailures", null, java.util.List.of()),
        TIME_TO_ACKNOWLEDGE("TimeToAcknowledge", null, java.util.List.of()),
        TIME_TO_RESOLVE("TimeToResolve", null, java.util.List.of()),
        ESCALATIONS("Escalations", null, java.util.List.of());

        private final String metricName;
        private final String dimension;
        private final java.util.List<String> dimensionValues;

        Metric(String metricName, String dimension, java.util.List<String> dimensionValues) {
            this.metricName = metricName;
            this.dimension = dimension;
            this.dimensionValues = dimensionValues;
        }

        public String metricName() {
            return metricName;
        }

        /** The dimension's name, or null for a metric without dimensions. */
        public String dimension() {
            return dimension;
        }

        public java.util.List<String> dimensionValues() {
            return dimensionValues;
        }
    }

    private Emf() {
    }

    /** A metric value and its CloudWatch unit (Count, Seconds, …). */
    public record Value(double value, String unit) {
        public static Value count(double n) {
            return new Value(n, "Count");
        }

        public static Value seconds(double s) {
            return new Value(s, "Seconds");
        }
    }

    /** The EMF document for {@code metrics} under one dimension set ({@code dimensions} may be empty). */
    public static ObjectNode document(Map<String, String> dimensions, Map<String, Value> metrics, Instant at) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensions.keySet().forEach(dimensionSet::add);
        ArrayNode definitions = directive.putArray("Metrics");
        metrics.forEach((name, value) -> definitions.addObject().put("Name", name).put("Unit", value.unit()));
        dimensions.forEach(root::put);
        metrics.forEach((name, value) -> root.put(name, value.value()));
        return root;
    }

    public static String line(Map<String, String> dimensions, Map<String, Value> metrics, Instant at) {
        return document(dimensions, metrics, at).toString();
    }

    /** Writes one EMF line to standard output; never throws (metrics must not break a function). */
    public static void emit(Map<String, String> dimensions, Map<String, Value> metrics, Instant at) {
        try {
            System.out.println(line(dimensions, metrics, at));
        } catch (RuntimeException ignored) {
            // a metric is not worth failing an alert for
        }
    }

    /** One count of {@code metric}; {@code dimensionValue} is ignored for a metric without dimensions. */
    public static void count(Metric metric, String dimensionValue, double n, Instant at) {
        Map<String, String> dims = new LinkedHashMap<>();
        if (metric.dimension() != null) {
            dims.put(metric.dimension(), dimensionValue);
        }
        emit(dims, Map.of(metric.metricName(), Value.count(n)), at);
    }

    /**
     * The ingest pipeline's outcome: AlertsIngested by Severity for every accepted alert, AlertsSuppressed by Reason
     * for suppressed ones, DeliveryFailures when the page failed outright.
     */
    public static void ingested(io.tocsin.alert.Severity severity, io.tocsin.ingest.IngestResult result, Instant at) {
        count(Metric.ALERTS_INGESTED, severity.wire(), 1, at);
        if (result instanceof io.tocsin.ingest.IngestResult.Suppressed suppressed) {
            count(Metric.ALERTS_SUPPRESSED, suppressed.reason().wire(), 1, at);
        } else if (result instanceof io.tocsin.ingest.IngestResult.Created created && created.delivery() != null
                && created.delivery().state() == io.tocsin.delivery.DeliveryState.FAILED) {
            count(Metric.DELIVERY_FAILURES, null, 1, at);
        }
    }

    /** An applied acknowledgment or resolution: TimeToAcknowledge / TimeToResolve in seconds. Returns its argument. */
    public static io.tocsin.incident.Transition transitioned(
            io.tocsin.incident.Transition transition, Instant at) {
        if (transition instanceof io.tocsin.incident.Transition.Applied applied) {
            var incident = applied.incident();
            if (incident.status() == io.tocsin.incident.IncidentStatus.RESOLVED && incident.timeToResolve() != null) {
                emit(Map.of(), Map.of(Metric.TIME_TO_RESOLVE.metricName(), Value.seconds(incident.timeToResolve().toMillis() / 1000.0)), at);
            } else if (incident.status() == io.tocsin.incident.IncidentStatus.ACKNOWLEDGED
                    && incident.timeToAcknowledge() != null) {
                emit(Map.of(), Map.of(Metric.TIME_TO_ACKNOWLEDGE.metricName(),
                        Value.seconds(incident.timeToAcknowledge().toMillis() / 1000.0)), at);
            }
        }
        return transition;
    }

    /** A PagerDuty event given up on by redelivery (retries exhausted, or held back after a refused trigger). */
    public static void deliveryFailed(Instant at) {
        count(Metric.DELIVERY_FAILURES, null, 1, at);
    }

    /** An escalation made by the sweep. */
    public static void escalated(Instant at) {
        count(Metric.ESCALATIONS, null, 1, at);
    }
}
