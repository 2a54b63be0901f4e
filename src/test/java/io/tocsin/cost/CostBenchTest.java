package io.tocsin.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.support.MutableClock;
import io.tocsin.support.PagerDutyFake;

/**
 * Benchmark (tag {@code bench}, BENCHMARKS.md "Cost per alert"): the warm duration of each path {@link CostModel}
 * prices, through its Funqy function, in-process against dynalite and PagerDuty at WireMock, median of many runs; and
 * how the dashboard view and the daily summary grow with the incidents they read. It prints the figures; it asserts
 * only that each path did its work. Run: {@code ./mvnw test -Dbench -Dtest=CostBenchTest}.
 */
@QuarkusTest
@TestProfile(CostPaths.Profile.class)
@Tag("bench")
class CostBenchTest {

    private static final int RUNS = Integer.getInteger("bench.cost.runs", 200);

    @Inject
    CostPaths paths;
    @Inject
    IngestPipeline pipeline;
    @Inject
    MutableClock clock;

    private static double medianMs(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }

    private static <T> long timed(Supplier<T> work) {
        long start = System.nanoTime();
        work.get();
        return System.nanoTime() - start;
    }

    @Test
    void durations() throws Exception {
        PagerDutyFake.reset();
        clock.set(Instant.parse("2031-01-01T12:00:00Z"));
        StringBuilder out = new StringBuilder("=== BENCH cost: warm durations (median of " + RUNS + ", ms)\n");
        out.append("load before: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
        for (int i = 0; i < 50; i++) { // warm-up: JIT, connections, the maintenance cache
            String id = paths.newAlert(CostPaths.alert("warm", i)).path("incident_id").asText();
            paths.acknowledge(id);
            paths.resolve(id);
        }
        List<Long> created = new ArrayList<>(), duplicate = new ArrayList<>(), view = new ArrayList<>(),
                acknowledge = new ArrayList<>(), resolve = new ArrayList<>(), sweep = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            var alert = CostPaths.alert("bench", i);
            List<JsonNode> answer = new ArrayList<>();
            created.add(timed(() -> answer.add(paths.newAlert(alert))));
            String id = answer.get(0).path("incident_id").asText();
            assertEquals("created", answer.get(0).path("status").asText());
            duplicate.add(timed(() -> paths.newAlert(alert)));
            view.add(timed(() -> paths.view(id)));
            acknowledge.add(timed(() -> paths.acknowledge(id)));
            resolve.add(timed(() -> paths.resolve(id)));
            sweep.add(timed(paths::sweep));
        }
        out.append(String.format("new alert %.2f | duplicate %.2f | incident view %.2f | acknowledge %.2f | resolve %.2f"
                + " | sweep (idle) %.2f%n", medianMs(created), medianMs(duplicate), medianMs(view),
                medianMs(acknowledge), medianMs(resolve), medianMs(sweep)));

        // the dashboard and the summary read what the table holds: before and after 1,400 incidents over 14 days
        clock.set(Instant.parse("2031-03-01T12:00:00Z")); // nothing stored in the 14 days before
        double dashboardEmpty = dashboardMs();
        double summaryEmpty = summaryMs(Instant.parse("2031-03-01T08:01:00Z"));
        int perDay = 100;
        Instant day0 = Instant.parse("2031-04-01T12:00:00Z");
        for (int d = 0; d < 14; d++) {
            for (int i = 0; i < perDay; i++) {
                clock.set(day0.plus(Duration.ofDays(d)).plusSeconds(60L * i));
                var fill = (IngestResult.Created) pipeline.ingest(CostPaths.alert("fill-" + d, i), 600);
                paths.resolve(fill.incidentId()); // most incidents of two weeks are resolved: the open index stays small
            }
        }
        clock.set(day0.plus(Duration.ofDays(13)).plus(Duration.ofHours(23)));
        double dashboardFull = dashboardMs();
        double summaryFull = summaryMs(day0.plus(Duration.ofDays(1)).minus(Duration.ofHours(4)).plusSeconds(60));
        out.append(String.format("dashboard view: %.2f with none, %.2f with %d incidents in its 14 days: %.4f ms per"
                + " incident read%n", dashboardEmpty, dashboardFull, 14 * perDay,
                (dashboardFull - dashboardEmpty) / (14 * perDay)));
        out.append(String.format("daily summary: %.2f with none, %.2f with %d incidents in its 24 hours: %.4f ms per"
                + " incident read%n", summaryEmpty, summaryFull, perDay, (summaryFull - summaryEmpty) / perDay));
        out.append("load after: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
        System.out.println(out);
    }

    private double dashboardMs() {
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            runs.add(timed(() -> {
                JsonNode page = paths.dashboard();
                assertTrue(page.path("html").asText().startsWith("<!DOCTYPE html"));
                return page;
            }));
        }
        return medianMs(runs);
    }

    /** One summary per day (each day's is sent once), from {@code start} on: the clock moves a day before each run. */
    private double summaryMs(Instant start) {
        List<Long> runs = new ArrayList<>();
        Instant before = clock.instant();
        for (int i = 0; i < 11; i++) {
            clock.set(start.plus(Duration.ofDays(i)));
            runs.add(timed(() -> {
                JsonNode answer = paths.summary();
                assertTrue(answer.path("sent").asBoolean() || answer.has("reason"), answer.toString());
                return answer;
            }));
        }
        clock.set(before);
        return medianMs(runs);
    }
}
