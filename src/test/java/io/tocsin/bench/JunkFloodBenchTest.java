package io.tocsin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alertmanager.AlertmanagerFunction;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.token.TokenRoute;
import io.tocsin.token.TokensFunction;

/**
 * Junk on the public token route while a legitimate sender's alerts land (BENCHMARKS.md, "Junk on the token routes"):
 * junk threads send {@code POST /hooks/alertmanager} at a paced rate ({@code -Dbench.junkRate}, default 200 a second)
 * without a credential, with a malformed one, with a well-formed unknown token and with a valid token's id and a
 * wrong secret, while one sender raises {@code -Dbench.n} (default 300) new alerts with its token, one after the
 * other, first on a quiet function and then under the flood. Asserts every legitimate alert created and every junk
 * request refused 401; prints the junk rate reached, the sender's latencies quiet and flooded, and the DynamoDB
 * requests each kind of junk costs. In-process: it measures the function, not API Gateway's throttle or Lambda's
 * concurrency (see docs/ingest.md).
 */
@QuarkusTest
@Tag("bench")
@TestProfile(IngestBenchTest.PagerDutyOff.class)
class JunkFloodBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokensFunction tokens;
    @Inject
    AlertmanagerFunction alertmanager;

    private static ObjectNode event(String authorization, String body) {
        String routeKey = TokenRoute.ALERTMANAGER.routeKey();
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", routeKey)
                .put("rawPath", TokenRoute.ALERTMANAGER.path());
        ObjectNode headers = event.putObject("headers").put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        event.putObject("requestContext").put("routeKey", routeKey).putObject("http").put("method", "POST")
                .put("path", TokenRoute.ALERTMANAGER.path()).put("sourceIp", "203.0.113.9");
        return event.put("body", body).put("isBase64Encoded", false);
    }

    private static String webhook(String fingerprint) {
        ObjectNode webhook = JSON.createObjectNode().put("version", "4").put("receiver", "tocsin")
                .put("status", "firing");
        ObjectNode alert = webhook.putArray("alerts").addObject().put("status", "firing")
                .put("fingerprint", fingerprint).put("startsAt", "2026-11-26T11:50:00Z");
        alert.putObject("labels").put("alertname", "HighErrorRate").put("job", "checkout-api")
                .put("severity", "critical");
        return webhook.toString();
    }

    private long[] send(String bearer, int n) {
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            JsonNode answer = alertmanager.alertmanager(event(bearer, webhook("legit-" + UUID.randomUUID())));
            latencies[i] = System.nanoTime() - start;
            assertEquals(200, answer.path("statusCode").asInt(), answer.toString());
            assertEquals("created", body(answer).path("alerts").get(0).path("status").asText(), answer.toString());
        }
        return latencies;
    }

    private static JsonNode body(JsonNode answer) {
        try {
            return JSON.readTree(answer.path("body").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentileMs(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    @Test
    void legitimateAlertsLandWhileJunkIsRefused() throws Exception {
        int n = BenchSupport.intProperty("bench.n", 300);
        int junkRate = BenchSupport.intProperty("bench.junkRate", 200);
        int junkThreads = BenchSupport.intProperty("bench.junkThreads", 2);
        ObjectNode create = JSON.createObjectNode().put("action", "create").put("name", "legit");
        create.putArray("routes").add("alertmanager");
        JsonNode created = tokens.tokens(create);
        String token = created.path("token").asText();
        String bearer = "Bearer " + token;
        Map<String, String> junk = new java.util.LinkedHashMap<>();
        junk.put("no header", null);
        junk.put("malformed", "Bearer not-a-token");
        junk.put("unknown token", "Bearer " + token.replace(created.path("id").asText(), "0123456789abcdef"));
        junk.put("wrong secret", bearer.substring(0, bearer.length() - 1) + (bearer.endsWith("A") ? "B" : "A"));
        String junkBody = webhook("junk");
        StringBuilder costs = new StringBuilder();
        junk.forEach((kind, auth) -> {
            var cost = DynamoRequestMeter.measure(() -> alertmanager.alertmanager(event(auth, junkBody)));
            assertEquals(401, cost.result().path("statusCode").asInt(), kind);
            costs.append(String.format(Locale.ROOT, "  %-14s DynamoDB %s%n", kind, cost.requests()));
        });

        send(bearer, Math.min(50, n)); // warm-up
        long[] quiet = send(bearer, n);

        List<String> kinds = new ArrayList<>(junk.keySet());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(junkThreads);
        List<Future<?>> workers = new ArrayList<>();
        long nanosPerRequest = 1_000_000_000L * junkThreads / junkRate;
        for (int t = 0; t < junkThreads; t++) {
            workers.add(pool.submit(() -> {
                long next = System.nanoTime();
                while (!stop.get()) {
                    long i = sent.getAndIncrement();
                    JsonNode answer = alertmanager.alertmanager(event(junk.get(kinds.get((int) (i % kinds.size()))),
                            junkBody));
                    statuses.computeIfAbsent(answer.path("statusCode").asInt(), s -> new AtomicLong())
                            .incrementAndGet();
                    next += nanosPerRequest;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                return null;
            }));
        }
        long floodStart = System.nanoTime();
        long[] flooded;
        try {
            flooded = send(bearer, n);
        } finally {
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - floodStart) / 1e9;
        long junkSent = statuses.values().stream().mapToLong(AtomicLong::get).sum();
        assertEquals(junkSent, statuses.getOrDefault(401, new AtomicLong()).get(), "every junk request 401: "
                + statuses);

        StringBuilder out = new StringBuilder("\n=== BENCH junk on the token route (JunkFloodBenchTest) ===\n");
        out.append("machine: ").append(BenchSupport.machine()).append('\n');
        out.append(String.format(Locale.ROOT, "legitimate alerts: %d quiet + %d flooded, all created%n", n, n));
        out.append(String.format(Locale.ROOT, "junk: %d requests in %.1f s = %.0f/s (target %d/s, %d threads), "
                + "all 401%n", junkSent, seconds, junkSent / seconds, junkRate, junkThreads));
        out.append(String.format(Locale.ROOT, "sender p50/p99 ms: quiet %.2f / %.2f, flooded %.2f / %.2f%n",
                percentileMs(quiet, 50), percentileMs(quiet, 99), percentileMs(flooded, 50),
                percentileMs(flooded, 99)));
        out.append("cost of one junk request:\n").append(costs);
        System.out.println(out);
    }
}
