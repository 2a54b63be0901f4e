package io.tocsin.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Shared pieces of the benchmarks (BENCHMARKS.md): a timed run of N operations on a few threads, percentiles, the
 * alert events, and a one-line description of the machine (other builds may share it, so every figure is printed
 * next to the load average).
 */
final class BenchSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SEVERITIES = { "critical", "high", "medium", "low" };

    private BenchSupport() {
    }

    /** Config overrides every Quarkus bench profile needs. */
    static Map<String, String> quarkusOverrides(Map<String, String> own) {
        Map<String, String> overrides = new HashMap<>(own);
        // Quarkus' mock Lambda event server binds 8081 by default; an ephemeral port keeps the bench clear of other
        // builds on the same machine (the bench calls the pipeline directly and does not use that server).
        overrides.put("quarkus.lambda.mock-event-server.test-port", "0");
        return overrides;
    }

    static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /** The result of a timed run: per-operation latencies and the wall time of the whole run. */
    record Run(String label, int threads, long[] latencyNanos, long wallNanos) {

        int count() {
            return latencyNanos.length;
        }

        double perSecond() {
            return count() / (wallNanos / 1e9);
        }

        double percentileMs(double p) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length); // nearest rank
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }

        double maxMs() {
            return Arrays.stream(latencyNanos).max().orElse(0) / 1e6;
        }

        String row() {
            return String.format(Locale.ROOT, "| %-22s | %7d | %6d | %9.0f | %7.2f | %7.2f | %8.2f |", label, threads,
                    count(), perSecond(), percentileMs(50), percentileMs(99), maxMs());
        }

        /** One run made of several interleaved chunks: all latencies, and the chunks' wall times added up. */
        static Run merge(List<Run> chunks) {
            long[] all = chunks.stream().flatMapToLong(c -> Arrays.stream(c.latencyNanos())).toArray();
            return new Run(chunks.get(0).label(), chunks.get(0).threads(), all,
                    chunks.stream().mapToLong(Run::wallNanos).sum());
        }

        static String header() {
            return "| path                   | threads |      N |   ops/s   | p50 ms  | p99 ms  |  max ms  |\n"
                    + "|------------------------|--------:|-------:|----------:|--------:|--------:|---------:|";
        }
    }

    /**
     * Runs {@code operation(0..n-1)} on {@code threads} threads, each taking the next index, and times every call and
     * the whole run (from the release of all threads to the last completion). An operation that throws fails the run.
     */
    static Run run(String label, int threads, int n, IntConsumer operation) throws Exception {
        return run(label, threads, 0, n, operation);
    }

    /** As {@link #run(String, int, int, IntConsumer)} over the indexes {@code from} (inclusive) to {@code to}. */
    static Run run(String label, int threads, int from, int to, IntConsumer operation) throws Exception {
        int n = to - from;
        long[] latencies = new long[n];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        operation.accept(from + i);
                        latencies[i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
            return new Run(label, threads, latencies, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A realistic alert event: a monitoring check with a description, a runbook and some metadata. {@code prefix}
     * keeps runs apart (the source, and so the derived dedup key, is unique per prefix and index). Its stored form
     * (gzip'd JSON, {@code AlertCodec}) is about 510 bytes, the upper half of a typical alert's 300-600.
     */
    static ObjectNode alert(String prefix, int i) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", SEVERITIES[i % SEVERITIES.length]);
        alert.put("title", "Disk usage above 85% on db-" + i + " (" + prefix + ")");
        alert.put("description", "/var/lib/postgresql on db-" + i + " is 87% full; it grew 2.1 GB/h over the last "
                + "6 hours and will be full in about 3 hours at this rate. Check for runaway temp files or bloat.");
        alert.put("source", prefix + "-billing-db-" + i);
        ObjectNode metadata = alert.putObject("metadata");
        metadata.put("host", "db-" + i + ".billing.internal");
        metadata.put("region", "eu-west-1");
        metadata.put("availability_zone", "eu-west-1" + "abc".charAt(i % 3));
        metadata.put("disk_usage", 0.87);
        metadata.put("mount", "/var/lib/postgresql");
        metadata.put("runbook", "https://wiki.example.com/runbooks/billing-db/disk-usage");
        metadata.put("team", "payments-platform");
        metadata.put("check_id", "chk-" + Integer.toHexString(prefix.hashCode()) + "-" + i);
        metadata.putArray("tags").add("env:prod").add("service:billing").add("tier:database");
        return alert;
    }

    /** nproc, load averages, memory and the JVM: printed next to every figure, since the machine is shared. */
    static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = String.format(Locale.ROOT, "%.2f", os.getSystemLoadAverage());
        }
        String memory = "?";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().orElse("?").replaceAll("\\s+", " ");
        } catch (IOException ignored) {
            // not Linux
        }
        return String.format(Locale.ROOT, "nproc=%d, loadavg(1/5/15 min, running/total, last pid)=%s, %s, java=%s (%s)",
                Runtime.getRuntime().availableProcessors(), load, memory, System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    static void print(String text) {
        System.out.println(text);
        System.out.flush();
    }
}
