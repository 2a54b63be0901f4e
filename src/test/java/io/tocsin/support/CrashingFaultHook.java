package io.tocsin.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;

/**
 * The test suite's fault hook (it replaces production's no-op): armed at a {@link FaultPoint}, it ends the invocation
 * there the way a killed Lambda ends, with an {@link Error} nothing in Tocsin catches. Disarmed after it fires once.
 */
@Singleton
public class CrashingFaultHook implements FaultHook {

    /** The invocation "died" here. */
    public static final class Crash extends Error {
        public Crash(FaultPoint point) {
            super("simulated crash at " + point, null, false, false);
        }
    }

    private final Map<FaultPoint, AtomicInteger> armed = new ConcurrentHashMap<>();
    private final Map<FaultPoint, AtomicInteger> reached = new ConcurrentHashMap<>();

    /** Crash the {@code nth} time (from 1) the path reaches {@code point}. */
    public void arm(FaultPoint point, int nth) {
        armed.put(point, new AtomicInteger(nth));
    }

    public void disarm() {
        armed.clear();
    }

    /** How often {@code point} was reached since the last {@link #resetCounts()}. */
    public int reached(FaultPoint point, boolean unused) {
        AtomicInteger count = reached.get(point);
        return count == null ? 0 : count.get();
    }

    public void resetCounts() {
        reached.clear();
    }

    @Override
    public void reached(FaultPoint point) {
        reached.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
        AtomicInteger countdown = armed.get(point);
        if (countdown != null && countdown.decrementAndGet() == 0) {
            armed.remove(point);
            throw new Crash(point);
        }
    }
}
