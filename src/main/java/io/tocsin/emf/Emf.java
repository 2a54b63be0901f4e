package io.tocsin.emf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;

/**
 * CloudWatch Embedded Metric Format: one JSON line per metric event, handed to the {@link EmfSink} (standard output,
 * which Lambda sends to CloudWatch Logs, where the metrics are extracted). Namespace {@value #NAMESPACE}. An injected
 * bean: the services that emit (ingest, the incident lifecycle, the outbox, the escalation sweep) take it as a
 * dependency, and the tests record what it wrote.
 *
 * <p>Hand-written rather than AWS's aws-embedded-metrics 4.2.0: that library's first emission in a fresh JVM took
 * ~64 ms against ~7 ms for this writer (330 more classes: Jackson bean introspection of its model), and it rejects
 * timestamps more than two hours from the wall clock, which the injected clock of the tests is
 * (docs/metrics-and-dashboard.md "CloudWatch metrics and dashboard", BENCHMARKS.md "EMF writer").
 */
@Singleton
public class Emf {

    public static final String NAMESPACE = "Tocsin";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every metric Tocsin emits, with its one dimension (or none) and the values that dimension takes, and the log
     * property its line also carries (or none). template.yaml's CloudWatch dashboard graphs each of them
     * (CloudWatchDashboardTest checks it). Each metric × dimension value is a custom metric billed every month
     * ($0.30, BENCHMARKS.md "Cost per alert"), so none has a dimension: the breakdowns an operator reads (by severity,
     * by reason, MTTA and MTTR per severity) are Tocsin's own metrics; the severity and the reason stay in the log line
     * as properties (not dimensions), for CloudWatch Logs Insights, at no metric cost.
     */
    public enum Metric {
        ALERTS_INGESTED("AlertsIngested", null, List.of(), "Severity"),
        /** Reason: the wire values of io.tocsin.incident.SuppressionReason (EmfTest checks they are the same). */
        ALERTS_SUPPRESSED("AlertsSuppressed", null, List.of(), "Reason"),
        DELIVERY_FAILURES("DeliveryFailures", null, List.of(), null),
        TIME_TO_ACKNOWLEDGE("TimeToAcknowledge", null, List.of(), null),
        TIME_TO_RESOLVE("TimeToResolve", null, List.of(), null),
        ESCALATIONS("Escalations", null, List.of(), null),
        /** An escalation policy that ran out unacknowledged (docs/oncall.md): the ops alarm's metric. */
        POLICIES_EXHAUSTED("EscalationPolicyExhausted", null, List.of(), null),
        /** Kind (a property): the wire values of io.tocsin.audit.AuditLog.Kind (AuditLogTest checks they are the same). */
        ADMIN_CHANGES("AdminChanges", null, List.of(), "Kind"),
        /** A maintenance window for every alert (no sources, no severities) longer than an hour: UnscopedMaintenanceAlarm. */
        UNSCOPED_MAINTENANCE("UnscopedMaintenance", null, List.of(), null);

        /** The values of the Severity property, and of the Reason property (SuppressionReason's wire values). */
        public static final List<String> SEVERITIES = Arrays.stream(Severity.values()).map(Severity::wire).toList();
        public static final List<String> REASONS = List.of("duplicate", "maintenance");
        /** The values of the Kind property of AdminChanges. */
        public static final List<String> ADMIN_KINDS = List.of("token", "maintenance_window", "oncall");

        private final String metricName;
        private final String dimension;
        private final List<String> dimensionValues;
        private final String property;

        Metric(String metricName, String dimension, List<String> dimensionValues, String property) {
            this.metricName = metricName;
            this.dimension = dimension;
            this.dimensionValues = dimensionValues;
            this.property = property;
        }

        public String metricName() {
            return metricName;
        }

        /** The dimension's name, or null for a metric without dimensions. */
        public String dimension() {
            return dimension;
        }

        public List<String> dimensionValues() {
            return dimensionValues;
        }

        /** The name of the log property (not a dimension) its line carries, or null. */
        public String property() {
            return property;
        }
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

    private final EmfSink sink;
    private final Clock clock;

    @Inject
    public Emf(EmfSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** One accepted alert (ingest, CloudWatch, Alertmanager, Grafana, evaluate, heartbeats). */
    public void alertIngested(Severity severity) {
        count(Metric.ALERTS_INGESTED, severity.wire());
    }

    /** One alert recorded but not paged; {@code reason} is a SuppressionReason's wire value. */
    public void alertSuppressed(String reason) {
        count(Metric.ALERTS_SUPPRESSED, reason);
    }

    /** A page PagerDuty refused, or a PagerDuty event given up on. */
    public void deliveryFailed() {
        count(Metric.DELIVERY_FAILURES, null);
    }

    /** An applied admin change (io.tocsin.audit.AuditLog); {@code kind} is its Kind's wire value. */
    public void adminChange(String kind) {
        count(Metric.ADMIN_CHANGES, kind);
    }

    /** A maintenance window created that silences every alert for more than an hour (the ops signal). */
    public void unscopedMaintenance() {
        count(Metric.UNSCOPED_MAINTENANCE, null);
    }

    /** An escalation made by the sweep. */
    public void escalated() {
        count(Metric.ESCALATIONS, null);
    }

    /** An incident's escalation policy ran out unacknowledged (once per incident): the ops alarm. */
    public void policyExhausted() {
        count(Metric.POLICIES_EXHAUSTED, null);
    }

    /** An applied acknowledgment: the time from creation to it. */
    public void acknowledged(Duration timeToAcknowledge) {
        emit(Map.of(), Map.of(Metric.TIME_TO_ACKNOWLEDGE.metricName(), seconds(timeToAcknowledge)));
    }

    /** An applied resolution: the time from creation to it. */
    public void resolved(Duration timeToResolve) {
        emit(Map.of(), Map.of(Metric.TIME_TO_RESOLVE.metricName(), seconds(timeToResolve)));
    }

    private static Value seconds(Duration duration) {
        return Value.seconds(duration.toMillis() / 1000.0);
    }

    /**
     * One count of {@code metric}; {@code value} is its dimension's value, or else its property's (ignored for a
     * metric with neither).
     */
    private void count(Metric metric, String value) {
        Map<String, String> dims = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>();
        if (metric.dimension() != null) {
            dims.put(metric.dimension(), value);
        } else if (metric.property() != null && value != null) {
            properties.put(metric.property(), value);
        }
        emit(dims, properties, Map.of(metric.metricName(), Value.count(1)));
    }

    private void emit(Map<String, String> dimensions, Map<String, Value> metrics) {
        emit(dimensions, Map.of(), metrics);
    }

    /** Writes one EMF line; never throws (metrics must not break a function). */
    private void emit(Map<String, String> dimensions, Map<String, String> properties, Map<String, Value> metrics) {
        try {
            ObjectNode document = document(dimensions, metrics, clock.instant());
            properties.forEach(document::put);
            sink.write(document.toString());
        } catch (RuntimeException ignored) {
            // a metric is not worth failing an alert for
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
}
