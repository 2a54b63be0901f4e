package io.tocsin.metrics;


import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;


import io.tocsin.config.Settings;
import io.tocsin.store.IndexEntry;
import io.tocsin.time.Deadline;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Hourly rollups of closed incidents, so that figures over days read one small item per hour instead of every
 * incident.
 *
 * <p><b>What a rollup holds.</b> The item {@code pk=ROLLUP, sk=H#<UTC hour>} holds the {@link FigureSums} of the
 * incidents <em>created</em> in that hour that are <em>closed</em> (resolved, or suppressed by maintenance) and folded.
 * A closed incident no longer changes what it contributes (status, times, escalation level, duplicates are final), so
 * each is added exactly once, when it is folded. Figures keep their meaning: "over the incidents created in the
 * window", MTTA/MTTR of those incidents, exact means (sums of milliseconds and counts).
 *
 * <p><b>Folding</b> (a pass of the sweep, {@link #fold}, over the items of {@link RollupItems}; nothing is added to the
 * ingest path). Resolving an incident and recording a suppressed alert already are one conditional write each; that
 * write also puts the incident in the "closed index": the partition {@code CLOSED#<UTC day>} of the existing
 * {@code escalation-due} index, sort key {@code <closing instant>#<id>} (the index's due-by-time pattern; an existing
 * index, so the upgrade adds none). The state item {@code sk=STATE} holds {@code folded_to}, the sort key up to which
 * every closure is in the rollups. A batch takes the closures after it up to {@link #LAG} before now (a write computes
 * its instant before it commits; the lag is longer than any function can run, so no closure commits behind the cursor),
 * writes its end as {@code pending_to} (conditional), adds each hour's share to that hour's item with
 * {@code applied = pending_to} (conditional on {@code applied} being older: a rerun or an overlapping sweep adds
 * nothing twice), then moves {@code folded_to} to the batch end. A crash anywhere is finished by the next run from
 * {@code pending_to}. No transaction, no marker per incident.
 *
 * <p><b>Reading</b> ({@link RollupFigures#read}): the hours of the window since {@code since} come from the hourly
 * items, plus, read live, the closures after {@code folded_to} (the closed index; skipped where an hour's
 * {@code applied} already holds them) and the open incidents (the {@code open} index, which the dashboard and the
 * summary read anyway). The part of a window before {@code since}, and the part of a partial first or last hour, is
 * read the old way (every incident created in it, through {@code by-created}). So figures are exact and current, and
 * cost O(hours) small items plus the open incidents plus the closures of the last minutes.
 *
 * <p><b>Upgrade.</b> Incidents closed by the previous version are not in the closed index. {@code since} is set by the
 * first fold to an hour boundary after {@link #LAG} from then: every incident created from {@code since} on is created
 * and closed by this version, and every window before it keeps being read the old way (so after 93 days, the longest
 * metrics window, no read goes the old way any more).
 */
@Singleton
public class Rollups {


    /**
     * How long after a closure it is folded: longer than any function runs between taking its clock reading and
     * committing its write (Lambda's own ceiling is 900 s, AWS Lambda quotas; the longest timeout in template.yaml is
     * 120 s), plus a minute for the index to catch up.
     */
    public static final Duration LAG = Duration.ofMinutes(16);
    /**
     * A closed incident whose effects are still pending holds the fold for at most this long (so a failed page of it
     * is counted); past that it is folded as it stands and a later outcome of that effect is not counted.
     */
    public static final Duration HOLD = Duration.ofHours(6);
    /** How far behind now the fold's cursor may be for readers to use the rollups: a day, the hold, the lag. */
    public static final Duration STALE = Duration.ofDays(1).plus(HOLD).plus(LAG);
    /** Closures per batch: one 1 MB page of the closed index at most, and a bounded share of the sweep's budget. */
    static final int BATCH = 500;
    /** A batch's hour writes, read and write each, must fit the time left. */
    static final Duration STEP = Duration.ofSeconds(2);

    public static final String PARTITION = "ROLLUP";

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final RollupItems items;
    private final RollupCursor cursor;

    @Inject
    public Rollups(DynamoDbClient dynamo, Settings settings, RollupItems items, RollupCursor cursor) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.items = items;
        this.cursor = cursor;
    }

    /** The fold's state: every closure with a closed-index sort key up to {@code foldedTo} is in the rollups. */
    public record State(Instant since, String foldedTo, String pendingTo) {
    }

    /** What a fold pass did. */
    public record Report(int folded, int hoursWritten, String foldedTo, boolean complete) {
    }

    /** The fold's state as stored; null before the first fold. */
    public State state() {
        return cursor.state();
    }

    // ----------------------------------------------------------------------------------------------------- fold

    /** What the fold does next: stop, take the state again (another sweep moved it), or fold a batch. */
    private sealed interface Next {
    }

    /** Nothing more this run: the cursor is at {@code foldedTo}; {@code complete} unless work is left. */
    private record Stop(String foldedTo, boolean complete) implements Next {
    }

    /** Another sweep moved the cursor or took the batch: go on from the stored state. */
    private record Retry() implements Next {
    }

    /** The closures in (from, to], marked pending in the state; {@code more}: a full batch, others may follow. */
    private record Fold(String from, String to, List<RollupItems.Closure> closures, boolean more) implements Next {
    }

    /** Folds the closures older than {@link #LAG} into the hourly items, batch by batch, within the deadline. */
    public Report fold(Instant now, Deadline deadline) {
        State state = state();
        if (state == null) {
            return new Report(0, 0, cursor.start(now).foldedTo(), true);
        }
        String horizon = IndexEntry.through(now.minus(LAG));
        int folded = 0;
        int hours = 0;
        while (deadline.allows(STEP)) {
            Next next = state.pendingTo() != null ? pending(state) : take(state.foldedTo(), horizon, now);
            if (next instanceof Stop stop) {
                return new Report(folded, hours, stop.foldedTo(), stop.complete());
            }
            if (next instanceof Fold batch) {
                hours += addToHours(state.since(), batch);
                folded += batch.closures().size();
                if (cursor.advance(batch.from(), batch.to(), batch.to())) {
                    if (!batch.more()) {
                        return new Report(folded, hours, batch.to(), true);
                    }
                    state = new State(state.since(), batch.to(), null);
                    continue;
                }
            }
            state = state();
        }
        return new Report(folded, hours, state.foldedTo(), false);
    }

    /** The batch a sweep marked pending and did not finish (it died, or is still at it): fold it (idempotent). */
    private Next pending(State state) {
        List<RollupItems.Closure> batch = items.closures(state.foldedTo(), state.pendingTo(), Integer.MAX_VALUE);
        return batch == null ? new Stop(state.foldedTo(), false)
                : new Fold(state.foldedTo(), state.pendingTo(), batch, false);
    }

    /** The next batch after {@code from}, up to the horizon, marked pending; or why there is none. */
    private Next take(String from, String horizon, Instant now) {
        if (from.compareTo(horizon) >= 0) {
            return new Stop(from, true);
        }
        List<RollupItems.Closure> found = items.closures(from, horizon, BATCH);
        if (found == null) {
            return new Stop(from, false); // the index is still backfilling
        }
        List<RollupItems.Closure> batch = ready(found, now);
        boolean held = batch.size() < found.size();
        boolean more = !held && batch.size() == BATCH;
        String to = held || more ? (batch.isEmpty() ? from : batch.get(batch.size() - 1).sortKey()) : horizon;
        if (to.equals(from)) {
            return new Stop(from, true); // held at the first closure
        }
        if (batch.isEmpty()) {
            return quiet(from, to);
        }
        return cursor.markPending(from, to) ? new Fold(from, to, batch, more) : new Retry();
    }

    /**
     * The closures before the first that still waits for its effects (pending, closed less than {@link #HOLD} ago):
     * the cursor stops just before it.
     */
    private static List<RollupItems.Closure> ready(List<RollupItems.Closure> found, Instant now) {
        List<RollupItems.Closure> ready = new ArrayList<>();
        for (RollupItems.Closure closure : found) {
            Instant closedAt = Instant.parse(closure.sortKey().substring(0, closure.sortKey().indexOf('#')));
            if (closure.incident().hasPendingEffects() && closedAt.isAfter(now.minus(HOLD))) {
                break;
            }
            ready.add(closure);
        }
        return ready;
    }

    /**
     * Nothing closed in (from, to]: the cursor moves only when its day is over, so that readers' live part stays one
     * day partition (and the sweep writes nothing on a quiet minute).
     */
    private Next quiet(String from, String to) {
        if (RollupItems.day(from).equals(RollupItems.day(to))) {
            return new Stop(from, true);
        }
        return cursor.advance(from, null, to) ? new Stop(to, true) : new Retry();
    }

    /** Adds the batch's closures of incidents created since {@code since} to their hours; the hours written. */
    private int addToHours(Instant since, Fold batch) {
        Map<Instant, FigureSums> byHour = new TreeMap<>();
        for (RollupItems.Closure closure : batch.closures()) {
            Instant created = closure.incident().createdAt();
            if (!created.isBefore(since)) {
                byHour.computeIfAbsent(created.truncatedTo(ChronoUnit.HOURS), h -> new FigureSums())
                        .add(closure.incident());
            }
        }
        int hours = 0;
        for (Map.Entry<Instant, FigureSums> e : byHour.entrySet()) {
            if (items.addToHour(e.getKey(), e.getValue(), batch.to())) {
                hours++;
            }
        }
        return hours;
    }
}
