package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.store.OnCallSnapshot;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.MutableClock;
import io.tocsin.support.Projects;
import io.tocsin.sweep.EscalationSweep;

/**
 * What on-call escalation costs (BENCHMARKS.md, "On-call escalation"), on dynalite with email to GreenMail: a new
 * alert routed to a policy (its first step's email sent by ingest), with the on-call copy warm and cold; one
 * escalation step by the sweep (one sweep run that finds one incident due, writes its step and emails one person);
 * and the escalation sweep when nothing is due while policy incidents wait. DynamoDB requests of each are measured
 * (and asserted), times printed, never asserted. Knob: {@code -Dbench.n} (steps, default 200).
 */
@QuarkusTest
@Tag("bench")
@TestProfile(PolicyEscalationBenchTest.EmailProfile.class)
class PolicyEscalationBenchTest {

    /** Escalation by email to GreenMail (as EmailEscalationTest's profile), PagerDuty off. */
    public static class EmailProfile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return BenchSupport.quarkusOverrides(Map.of("pagerduty.api-key", "", "pagerduty.enabled", "false",
                    "alert.summary-email.recipients", "sre@example.com"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(io.tocsin.support.SmtpServer.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EscalationSweep sweep;
    @Inject
    IngestPipeline pipeline;
    @Inject
    MutableClock clock;
    @Inject
    OnCallStore onCall;
    @Inject
    OnCallSnapshot snapshot;
    @Inject
    io.tocsin.incident.IncidentLifecycle lifecycle;

    private String ingest(String source) {
        ObjectNode alert = JSON.createObjectNode().put("severity", "high").put("title", "Queue stuck")
                .put("source", source);
        return assertInstanceOf(IngestResult.Created.class, pipeline.ingest(alert, 100)).incidentId();
    }

    @Test
    void escalationStepAndIdleSweep() throws Exception {
        int n = BenchSupport.intProperty("bench.n", 200);
        onCall.apply(DocumentReader.read(Files.readString(Projects.root()
                .resolve("src/test/resources/oncall/escalation.json"))), true);
        snapshot.refresh();
        Instant t0 = Instant.parse("2029-01-01T00:00:00Z");
        clock.set(t0);
        ingest("bench-none/warm-up-" + UUID.randomUUID()); // the maintenance windows' copy, read once per minute
        var warmNoPolicy = DynamoRequestMeter.measure(() -> ingest("bench-none/" + UUID.randomUUID()));
        var warmPolicy = DynamoRequestMeter.measure(() -> ingest("crash-oncall/" + UUID.randomUUID()));
        snapshot.invalidate();
        var coldPolicy = DynamoRequestMeter.measure(() -> ingest("crash-oncall/" + UUID.randomUUID()));
        for (String measured : List.of(warmPolicy.result(), coldPolicy.result())) {
            lifecycle.resolve(measured, "measured", "bench"); // out of the way of the steps timed below
        }
        String before = BenchSupport.machine();

        // n incidents a second apart, policy "crash": step 2 (carol) an hour after each
        List<String> ids = new ArrayList<>();
        BenchSupport.Run create = BenchSupport.run("new alert, policy", 1, n, i -> {
            clock.set(t0.plusSeconds(10 + i));
            ids.add(ingest("crash-oncall/bench-" + i + "-" + UUID.randomUUID()));
        });
        clock.set(t0.plusSeconds(10).plus(Duration.ofHours(1)));
        var oneStep = DynamoRequestMeter.measure(() -> sweep.run(clock.instant()));
        assertEquals(1, oneStep.result().size(), "one incident due, one step");
        BenchSupport.Run steps = BenchSupport.run("sweep, one step due", 1, 1, n, i -> {
            clock.set(t0.plusSeconds(10 + i).plus(Duration.ofHours(1)));
            assertEquals(1, sweep.run(clock.instant()).size());
        });
        clock.set(t0.plusSeconds(10 + n).plus(Duration.ofHours(1)).plus(Duration.ofMinutes(1)));
        var idle = DynamoRequestMeter.measure(() -> sweep.run(clock.instant()));
        assertEquals(List.of(), idle.result());
        BenchSupport.Run idleRuns = BenchSupport.run("sweep, nothing due", 1, n, i -> sweep.run(clock.instant()));

        StringBuilder out = new StringBuilder("\n=== BENCH on-call escalation (PolicyEscalationBenchTest) ===\n");
        out.append("before: ").append(before).append('\n').append(BenchSupport.Run.header()).append('\n');
        List.of(create, steps, idleRuns).forEach(r -> out.append(r.row()).append('\n'));
        out.append("DynamoDB requests: new alert, no policy (warm copy) ").append(warmNoPolicy.requests())
                .append("; new alert, policy (warm) ").append(warmPolicy.requests())
                .append("; new alert, policy (cold copy) ").append(coldPolicy.requests())
                .append("; one step by the sweep ").append(oneStep.requests())
                .append("; escalation pass, nothing due ").append(idle.requests()).append('\n');
        out.append("after: ").append(BenchSupport.machine()).append('\n');
        BenchSupport.print(out.toString());
        assertEquals(Map.of("UpdateItem", 1, "PutItem", 1), warmNoPolicy.requests());
        assertEquals(Map.of("Query", 1), idle.requests(), "the escalation-due index, as without policies");
    }
}
