package io.tocsin.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.incident.Incident;
import io.tocsin.store.IndexEntry;

/**
 * The figures the rollups serve: the sums of the incidents created in a window, by UTC day of creation, from the
 * hourly items where they cover the window and read live elsewhere (see {@link Rollups}, "Reading").
 */
@Singleton
public class RollupFigures {

    private final Rollups rollups;
    private final RollupItems items;

    @Inject
    public RollupFigures(Rollups rollups, RollupItems items) {
        this.rollups = rollups;
        this.items = items;
    }

    /**
     * The sums of the incidents created in [from, to), by UTC day of creation: the rollups where they cover the
     * window, the rest read live ({@link Rollups}, "Reading"). {@code open} reads the open index (only when the
     * rollups are used).
     */
    public Map<LocalDate, FigureSums> read(Instant from, Instant to, Instant now,
            java.util.function.Supplier<List<Incident>> open, LiveReader live) {
        Map<LocalDate, FigureSums> byDay = new TreeMap<>();
        Rollups.State state = rollups.state();
        Instant a = null;
        Instant b = null;
        if (state != null && current(state, now)) {
            a = ceilHour(from.isAfter(state.since()) ? from : state.since());
            // a window reaching past now holds all of the current hour created so far
            b = to.isAfter(now) ? now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))
                    : to.truncatedTo(ChronoUnit.HOURS);
        }
        List<RollupItems.Closure> tail = null;
        if (a != null && a.isBefore(b)) {
            tail = items.closures(state.foldedTo(), IndexEntry.through(now.plus(Rollups.LAG)), Integer.MAX_VALUE);
        }
        if (tail == null) {
            // no rollups yet (or the index is still being built): the old way, every incident of the window
            live.created(from, to).forEach(i -> add(byDay, i));
            return byDay;
        }
        if (from.isBefore(a)) {
            live.created(from, a).forEach(i -> add(byDay, i));
        }
        if (b.isBefore(to) && !to.isAfter(now)) {
            live.created(b, to).forEach(i -> add(byDay, i));
        }
        Map<Instant, String> applied = new HashMap<>();
        for (Map.Entry<Instant, RollupItems.Hour> e : items.hours(a, b).entrySet()) {
            applied.put(e.getKey(), e.getValue().applied());
            byDay.computeIfAbsent(LocalDate.ofInstant(e.getKey(), ZoneOffset.UTC), d -> new FigureSums())
                    .merge(e.getValue().sums());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RollupItems.Closure closure : tail) {
            Instant created = closure.incident().createdAt();
            if (created.isBefore(a) || !created.isBefore(b) || !seen.add(closure.incident().id())) {
                continue;
            }
            String hourApplied = applied.get(created.truncatedTo(ChronoUnit.HOURS));
            if (hourApplied == null || hourApplied.compareTo(closure.sortKey()) < 0) {
                add(byDay, closure.incident());
            }
        }
        for (Incident incident : open.get()) {
            Instant created = incident.createdAt();
            if (!created.isBefore(a) && created.isBefore(b) && seen.add(incident.id())) {
                add(byDay, incident);
            }
        }
        return byDay;
    }

    /**
     * Whether the fold keeps up: its cursor is at most {@link Rollups#STALE} behind now (a day partition or two of the
     * closed index to read live) and not ahead of it. Otherwise (the sweep stopped, or a clock moved back) figures
     * are read the old way: exact, at the old cost.
     */
    static boolean current(Rollups.State state, Instant now) {
        Instant cursor = Instant.parse(state.foldedTo().substring(0, 24));
        return !cursor.isAfter(now) && !cursor.isBefore(now.minus(Rollups.STALE));
    }

    /** Reads every incident created in [from, to) (the {@code by-created} index). */
    @FunctionalInterface
    public interface LiveReader {
        List<Incident> created(Instant from, Instant to);
    }

    private static void add(Map<LocalDate, FigureSums> byDay, Incident incident) {
        byDay.computeIfAbsent(LocalDate.ofInstant(incident.createdAt(), ZoneOffset.UTC), d -> new FigureSums())
                .add(incident);
    }

    private static Instant ceilHour(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(at) ? at : floor.plus(Duration.ofHours(1));
    }
}
