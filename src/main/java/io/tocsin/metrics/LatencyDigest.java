package io.tocsin.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Durations (milliseconds) in a mergeable form: count and sum (so the mean is exact), a log-bucketed histogram (so
 * p50/p90 stay within {@link #RELATIVE_ERROR} of the exact value however many values were merged, in memory bounded by
 * the number of buckets: at most ~1,100 between 1 ms and a year), and the values themselves while there are at most
 * {@link #EXACT_LIMIT} of them (so small windows keep exact percentiles).
 *
 * <p>The histogram is DDSketch's (Masson, Rim, Lee, VLDB 2019): value v &gt; 0 falls in bucket
 * {@code ceil(log_γ v)}, which covers (γ^(i−1), γ^i], and is reported as 2γ^i/(γ+1): relative error at most
 * (γ−1)/(γ+1). Zero durations (acknowledged at creation) have a bucket of their own and are reported exactly.
 */
public final class LatencyDigest {

    /** γ = 1.02: buckets 2 % wide, a reported percentile within 1 % (RELATIVE_ERROR) of the exact one. */
    static final double GAMMA = 1.02;
    /** (γ−1)/(γ+1), the bound on |reported − exact| / exact of a percentile read from the histogram. */
    public static final double RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);
    /** Values kept one by one in memory, for exact percentiles of windows this small. */
    public static final int EXACT_LIMIT = 1024;
    /** Values kept one by one in a stored rollup item (keeps the item small: a few hundred bytes at most). */
    static final int STORED_EXACT_LIMIT = 64;
    private static final int ZERO_BUCKET = Integer.MIN_VALUE;
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private long count;
    private long sumMillis;
    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    /** null once more than EXACT_LIMIT values have been seen. */
    private List<Long> exact = new ArrayList<>();

    public void add(Duration duration) {
        if (duration == null) {
            return;
        }
        long ms = Math.max(0, duration.toMillis());
        count++;
        sumMillis += ms;
        buckets.merge(bucket(ms), 1L, Long::sum);
        if (exact != null) {
            exact.add(ms);
            if (exact.size() > EXACT_LIMIT) {
                exact = null;
            }
        }
    }

    public void merge(LatencyDigest other) {
        count += other.count;
        sumMillis += other.sumMillis;
        other.buckets.forEach((b, n) -> buckets.merge(b, n, Long::sum));
        if (exact != null && other.exact != null && exact.size() + other.exact.size() <= EXACT_LIMIT) {
            exact.addAll(other.exact);
        } else {
            exact = null;
        }
    }

    public long count() {
        return count;
    }

    static int bucket(long ms) {
        return ms <= 0 ? ZERO_BUCKET : (int) Math.ceil(Math.log(ms) / LOG_GAMMA);
    }

    static double representative(int bucket) {
        return bucket == ZERO_BUCKET ? 0 : 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }

    /** Mean, p50 and p90 in minutes rounded to two decimals; nulls when empty. */
    public Figures.Latency latency() {
        if (count == 0) {
            return new Figures.Latency(0, null, null, null, true);
        }
        double mean = round(sumMillis / (double) count / 60_000.0);
        if (exact != null) {
            List<Long> sorted = new ArrayList<>(exact);
            Collections.sort(sorted);
            return new Figures.Latency(count, mean, round(sorted.get(rank(0.5) - 1) / 60_000.0),
                    round(sorted.get(rank(0.9) - 1) / 60_000.0), true);
        }
        return new Figures.Latency(count, mean, round(fromHistogram(0.5) / 60_000.0),
                round(fromHistogram(0.9) / 60_000.0), false);
    }

    /** Nearest rank: position ceil(p × n), at least 1. */
    private int rank(double p) {
        return (int) Math.max(1, Math.ceil(p * count));
    }

    private double fromHistogram(double p) {
        long rank = rank(p);
        long seen = 0;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return representative(e.getKey());
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + count + " values");
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("n", count).put("sum", sumMillis);
        ObjectNode h = node.putObject("h");
        buckets.forEach((b, n) -> h.put(b == ZERO_BUCKET ? "z" : b.toString(), n));
        if (exact != null && exact.size() <= STORED_EXACT_LIMIT) {
            exact.forEach(node.putArray("v")::add);
        }
        return node;
    }

    static LatencyDigest fromJson(JsonNode node) {
        LatencyDigest digest = new LatencyDigest();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return digest;
        }
        digest.count = node.path("n").asLong();
        digest.sumMillis = node.path("sum").asLong();
        node.path("h").fields().forEachRemaining(e -> digest.buckets.put(
                e.getKey().equals("z") ? ZERO_BUCKET : Integer.parseInt(e.getKey()), e.getValue().asLong()));
        if (node.has("v")) {
            node.get("v").forEach(v -> digest.exact.add(v.asLong()));
        } else if (digest.count > 0) {
            digest.exact = null;
        }
        return digest;
    }
}
