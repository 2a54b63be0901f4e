package io.tocsin.cost;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tocsin.dashboard.DashboardFunction;
import io.tocsin.sweep.SweepFunction;
import io.tocsin.incident.IncidentFunction;
import io.tocsin.incident.LifecycleFunctions;
import io.tocsin.entry.IngestFunction;
import io.tocsin.summary.SummaryFunction;
import io.tocsin.support.SmtpServer;

/**
 * The paths whose cost {@link CostModel} prices, each driven through its Funqy function as Lambda would call it:
 * a new alert, a duplicate, an acknowledge, a resolve, a read of one incident, an idle sweep, a dashboard view and the
 * daily summary. {@link CostInputsTest} measures their DynamoDB requests and capacity; {@code CostBenchTest} their time.
 */
@Singleton
public class CostPaths {

    /** Own application start and dynalite; the daily summary on (mailing a real SMTP server); the capacity recorder on the client. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.dynamodb.interceptors",
                    "io.tocsin.store.DynamoRequestMeter,io.tocsin.cost.CapacityRecorder",
                    "alert.summary-email.enabled", "true",
                    "alert.summary-email.recipients", "sre@example.com");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmtpServer.class));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /** The severities alerts rotate through, as the ingest benchmark's do: one alert in four is critical. */
    static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

    @Inject
    IngestFunction ingest;
    @Inject
    LifecycleFunctions lifecycle;
    @Inject
    IncidentFunction incident;
    @Inject
    SweepFunction sweep;
    @Inject
    DashboardFunction dashboard;
    @Inject
    SummaryFunction summary;

    /** A realistic monitoring alert (the shape of the ingest benchmark's): 170-character description, 9 metadata fields. */
    static ObjectNode alert(String run, int i) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", SEVERITIES.get(i % SEVERITIES.size()));
        alert.put("title", "Disk usage above 85% on db-" + i + " (" + run + ")");
        alert.put("description", "/var/lib/postgresql on db-" + i + " is 87% full; it grew 2.1 GB/h over the last "
                + "6 hours and will be full in about 3 hours at this rate. Check for runaway temp files or bloat.");
        alert.put("source", run + "-billing-db-" + i);
        ObjectNode metadata = alert.putObject("metadata");
        metadata.put("host", "db-" + i + ".billing.internal");
        metadata.put("region", "eu-west-1");
        metadata.put("availability_zone", "eu-west-1" + "abc".charAt(i % 3));
        metadata.put("disk_usage", 0.87);
        metadata.put("mount", "/var/lib/postgresql");
        metadata.put("runbook", "https://wiki.example.com/runbooks/billing-db/disk-usage");
        metadata.put("team", "payments-platform");
        metadata.put("check_id", "chk-" + Integer.toHexString(run.hashCode()) + "-" + i);
        metadata.putArray("tags").add("env:prod").add("service:billing").add("tier:database");
        return alert;
    }

    public JsonNode newAlert(ObjectNode alert) {
        return ingest.ingest(alert);
    }

    public JsonNode acknowledge(String id) {
        return lifecycle.acknowledge(JSON.createObjectNode().put("incident_id", id).put("acknowledged_by", "alice"));
    }

    public JsonNode resolve(String id) {
        return lifecycle.resolve(JSON.createObjectNode().put("incident_id", id)
                .put("resolution_notes", "Cleaned up 40 GB of temp files; vacuum scheduled.").put("resolved_by", "alice"));
    }

    public JsonNode view(String id) {
        return incident.incident(JSON.createObjectNode().put("incident_id", id));
    }

    public JsonNode sweep() {
        return sweep.sweep(JSON.createObjectNode().put("detail-type", "Scheduled Event"));
    }

    public JsonNode dashboard() {
        return dashboard.dashboard(JSON.createObjectNode());
    }

    public JsonNode summary() {
        return summary.dailySummary(JSON.createObjectNode().put("schedule", "daily-summary"));
    }

    /** What some work wrote to standard output (the Embedded Metric Format lines that become CloudWatch Logs). */
    public record Printed<T>(T result, long bytes) {
    }

    public static synchronized <T> Printed<T> printed(Supplier<T> work) {
        PrintStream original = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        try {
            T result = work.get();
            System.out.flush();
            return new Printed<>(result, copy.size());
        } finally {
            System.setOut(original);
        }
    }
}
