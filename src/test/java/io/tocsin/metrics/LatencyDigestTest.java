package io.tocsin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The mergeable durations of the rollups: exact means, percentiles exact when few and within the bound when many. */
class LatencyDigestTest {

    private static double exactMinutes(List<Long> sorted, double p) {
        int rank = (int) Math.max(1, Math.ceil(p * sorted.size()));
        return sorted.get(rank - 1) / 60_000.0;
    }

    @Test
    void manyValuesMergedFromStoredPartsStayWithinTheBound() {
        Random random = new Random(42);
        List<Long> all = new ArrayList<>();
        LatencyDigest merged = new LatencyDigest();
        ObjectMapper json = new ObjectMapper();
        long sum = 0;
        for (int part = 0; part < 300; part++) {
            LatencyDigest hour = new LatencyDigest();
            for (int i = 0; i < 40; i++) {
                // log-normal-ish: seconds to days, and some zeros (acknowledged at creation)
                long ms = i % 17 == 0 ? 0 : (long) Math.exp(6 + random.nextDouble() * 14);
                all.add(ms);
                sum += ms;
                hour.add(Duration.ofMillis(ms));
            }
            // through the stored form, as a rollup item holds it
            merged.merge(LatencyDigest.fromJson(hour.toJson(json)));
        }
        Collections.sort(all);
        Figures.Latency latency = merged.latency();
        assertFalse(latency.exactPercentiles(), "12,000 values: from the histogram");
        assertEquals(all.size(), latency.count());
        assertEquals(Math.round(sum / (double) all.size() / 60_000.0 * 100) / 100.0, latency.mean(), "the mean is exact");
        for (double p : new double[] { 0.5, 0.9 }) {
            double exact = exactMinutes(all, p);
            double reported = p == 0.5 ? latency.p50() : latency.p90();
            // the histogram's bound, plus the rounding to two decimals
            assertTrue(Math.abs(reported - exact) <= exact * LatencyDigest.RELATIVE_ERROR + 0.005,
                    "p" + (int) (p * 100) + " " + reported + " vs exact " + exact);
        }
    }

    @Test
    void fewValuesGiveExactPercentiles() {
        LatencyDigest a = new LatencyDigest();
        LatencyDigest b = new LatencyDigest();
        for (int minutes : new int[] { 1, 2, 3 }) {
            a.add(Duration.ofMinutes(minutes));
        }
        for (int minutes : new int[] { 4, 10 }) {
            b.add(Duration.ofMinutes(minutes));
        }
        a.merge(LatencyDigest.fromJson(b.toJson(new ObjectMapper())));
        Figures.Latency latency = a.latency();
        assertTrue(latency.exactPercentiles());
        assertEquals(new Figures.Latency(5, 4.0, 3.0, 10.0, true), latency);
    }

    @Test
    void anEmptyDigestHasNoFigures() {
        assertEquals(new Figures.Latency(0, null, null, null, true), new LatencyDigest().latency());
    }
}
