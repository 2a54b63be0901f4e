package io.tocsin.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentHistory;
import io.tocsin.incident.IncidentStore;

/**
 * Figures over the incidents created in a window (counts, MTTA and MTTR, severities, top sources, suppressions,
 * escalations, delivery failures), for the {@code metrics} function, the dashboard and the daily summary alike: the
 * hourly {@link Rollups} of closed incidents where they cover the window, the open incidents and the latest closures
 * read live, and the incidents of what the rollups do not cover (a partial first or last hour, hours before the
 * rollups started) read one by one through the {@code by-created} index. Never a Scan.
 */
@Singleton
public class IncidentMetrics {

    private final IncidentHistory history;
    private final IncidentStore incidents;
    private final RollupFigures rollups;
    private final Clock clock;

    @Inject
    public IncidentMetrics(IncidentHistory history, IncidentStore incidents, RollupFigures rollups, Clock clock) {
        this.history = history;
        this.incidents = incidents;
        this.rollups = rollups;
        this.clock = clock;
    }

    /** The sums over a window, by UTC day of creation; {@link #figures()} over the whole window. */
    public record Window(Instant from, Instant to, SortedMap<LocalDate, FigureSums> byDay) {

        public FigureSums total() {
            FigureSums total = new FigureSums();
            byDay.values().forEach(total::merge);
            return total;
        }

        public Figures figures() {
            return total().figures(from, to);
        }

        /** The sums of one day (empty when nothing was created that day). */
        public FigureSums day(LocalDate day) {
            return byDay.getOrDefault(day, new FigureSums());
        }
    }

    /** The figures over [from, to). */
    public Figures compute(Instant from, Instant to) {
        return window(from, to, incidents::open).figures();
    }

    /** The sums over [from, to) by day, every open incident as the caller read it (the {@code open} index). */
    public Window window(Instant from, Instant to, List<Incident> open) {
        return window(from, to, () -> open);
    }

    /** The sums over [from, to) by day; {@code open} reads the open incidents if the rollups need them. */
    public Window window(Instant from, Instant to, java.util.function.Supplier<List<Incident>> open) {
        Map<LocalDate, FigureSums> byDay = rollups.read(from, to, clock.instant(), open,
                (f, t) -> history.all(f, t.minusMillis(1)));
        return new Window(from, to, new TreeMap<>(byDay));
    }
}
