package io.tocsin.oncall.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.config.Settings;
import io.tocsin.handoff.HandoffNotices;
import io.tocsin.handoff.HandoffStore;
import io.tocsin.notify.HandoffEmail;
import io.tocsin.notify.HandoffEmailNotifier;
import io.tocsin.notify.Outcome;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallItemsTest;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.store.TestSettings;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import io.tocsin.time.Deadline;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cost of "who is on call" (BENCHMARKS.md, "Who is on call"): the {@code now} read of the {@code oncall} function
 * for the example document and for a large setup (200 people, 30 schedules of 3 layers and 60 overrides, 30
 * policies), and the handoff pass of an idle sweep with that setup: DynamoDB requests per call (counted) and warm ms
 * (p50, p99) against dynalite. Asserts request counts, never a time. Knobs: {@code -Dbench.n} (calls per path,
 * default 300), {@code -Dbench.warmup} (default 100). {@code ./mvnw test -Dbench -Dtest=OnCallReadBenchTest}.
 */
@Tag("bench")
class OnCallReadBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-09T15:30:00Z");
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private static DynaliteServer server;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        server = DynaliteServer.start(Projects.root(), null);
        dynamo = DynaliteResource.client(server.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    static DynamoDbClient counting() {
        return (DynamoDbClient) Proxy.newProxyInstance(OnCallReadBenchTest.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    REQUESTS.incrementAndGet();
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void whoIsOnCall() throws IOException {
        int n = Integer.getInteger("bench.n", 300);
        int warmup = Integer.getInteger("bench.warmup", 100);
        JsonNode example = JSON.readTree(Files.readString(
                Projects.root().resolve("src/test/resources/oncall/example.json")));
        StringBuilder out = new StringBuilder("BENCH who-is-on-call n=" + n + " " + machine() + "\n");
        for (var setup : java.util.List.of(java.util.Map.entry("example", example),
                java.util.Map.entry("large", (JsonNode) OnCallItemsTest.large(60)))) {
            String table = "oncall-bench-" + setup.getKey();
            TableBootstrap.ensureTable(dynamo, table);
            Settings settings = TestSettings.settings(table);
            OnCallDocument document = DocumentReader.read(setup.getValue());
            new OnCallStore(dynamo, settings).apply(document, true);
            OnCallReads reads = new OnCallReads();
            reads.store = new OnCallStore(counting(), settings);
            reads.clock = Clock.fixed(NOW, ZoneOffset.UTC);
            String schedule = document.schedules().get(0).id();
            var input = JSON.createObjectNode().put("schedule", schedule);
            out.append(row(setup.getKey() + " now", n, warmup, () -> {
                var answer = reads.now(input);
                assertEquals(200, answer.status(), answer.body().toString());
                return answer;
            }, 1));
            HandoffNotices handoffs = new HandoffNotices(new OnCallStore(counting(), settings),
                    new HandoffStore(counting(), settings), new HandoffEmailNotifier(null, null, null) {
                        @Override
                        public Outcome send(HandoffEmail email) {
                            throw new AssertionError("nothing is due at the instant measured");
                        }
                    }, settings, point -> {
                    });
            Instant idle = firstIdleMinute(document);
            out.append(row(setup.getKey() + " sweep handoff pass", n, warmup,
                    () -> handoffs.run(idle, Deadline.NONE, Duration.ofSeconds(31)), 2));
        }
        System.out.print(out);
        Files.writeString(Path.of("target/oncall-read-bench.txt"), out);
    }

    /** A minute with no boundary of any schedule in the cut-off before it, so that the pass only reads. */
    private static Instant firstIdleMinute(OnCallDocument document) {
        for (Instant t = NOW;; t = t.plus(Duration.ofMinutes(1))) {
            Instant at = t;
            boolean quiet = document.schedules().stream().allMatch(s -> io.tocsin.oncall.ScheduleResolver
                    .shifts(s, at.minus(HandoffNotices.CUTOFF).minusSeconds(60), at.plusSeconds(60)).size() <= 1);
            if (quiet) {
                return at;
            }
        }
    }

    private static String row(String label, int n, int warmup, Supplier<Object> call, int expectedRequests) {
        for (int i = 0; i < warmup; i++) {
            call.get();
        }
        long[] nanos = new long[n];
        REQUESTS.set(0);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.get();
            nanos[i] = System.nanoTime() - t0;
        }
        double perCall = REQUESTS.get() / (double) n;
        assertEquals(expectedRequests, perCall, 1e-9, label + ": DynamoDB requests per call");
        Arrays.sort(nanos);
        assertTrue(nanos[0] > 0);
        return String.format(Locale.ROOT, "| %-30s | %d | %.2f | %.2f |%n", label, expectedRequests,
                nanos[(int) Math.ceil(0.5 * n) - 1] / 1e6, nanos[(int) Math.ceil(0.99 * n) - 1] / 1e6);
    }

    private static String machine() {
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "?";
        }
        return "nproc=" + Runtime.getRuntime().availableProcessors() + " loadavg=" + load + " java="
                + System.getProperty("java.version");
    }
}
