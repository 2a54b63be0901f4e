package io.tocsin.metrics;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.config.Settings;
import io.tocsin.incident.DuplicateFold;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStore;
import io.tocsin.store.Attr;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Deadline;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

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
 * <p><b>Folding</b> (a pass of the sweep, {@link #fold}; nothing is added to the ingest path). Resolving an incident
 * and recording a suppressed alert already are one conditional write each; that write also puts the incident in the
 * "closed index": the partition {@code CLOSED#<UTC day>} of the existing {@code escalation-due} index, sort key
 * {@code <closing instant>#<id>} (the index's due-by-time pattern; an existing index, so the upgrade adds none). The
 * state item {@code sk=STATE} holds {@code folded_to}, the sort key up to which every closure is in the rollups. A batch takes the closures after it up to
 * {@link #LAG} before now (a write computes its instant before it commits; the lag is longer than any function can
 * run, so no closure commits behind the cursor), writes its end as {@code pending_to} (conditional), adds each hour's
 * share to that hour's item with {@code applied = pending_to} (conditional on {@code applied} being older: a rerun or
 * an overlapping sweep adds nothing twice), then moves {@code folded_to} to the batch end. A crash anywhere is
 * finished by the next run from {@code pending_to}. No transaction, no marker per incident.
 *
 * <p><b>Reading</b> ({@link #read}): the hours of the window since {@code since} come from the hourly items, plus,
 * read live, the closures after {@code folded_to} (the closed index; skipped where an hour's {@code applied} already
 * holds them) and the open incidents (the {@code open} index, which the dashboard and the summary read anyway). The
 * part of a window before {@code since}, and the part of a partial first or last hour, is read the old way
 * (every incident created in it, through {@code by-created}). So figures are exact and current, and cost O(hours) small
 * items plus the open incidents plus the closures of the last minutes.
 *
 * <p><b>Upgrade.</b> Incidents closed by the previous version are not in the closed index. {@code since} is set by the
 * first fold to an hour boundary after {@link #LAG} from then: every incident created from {@code since} on is created
 * and closed by this version, and every window before it keeps being read the old way (so after 93 days, the longest
 * metrics window, no read goes the old way any more).
 */
@Singleton
public class Rollups {

    private static final Logger LOG = Logger.getLogger(Rollups.class);

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
    static final String STATE = "STATE";
    static final String HOUR_PREFIX = "H#";
    static final String FOLDED_TO = "folded_to";
    static final String PENDING_TO = "pending_to";
    static final String SINCE_MS = "since_ms";
    static final String SUMS = "sums";
    static final String APPLIED = "applied";
    static final String VERSION = "ver";

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final DuplicateFold duplicates;

    @Inject
    public Rollups(DynamoDbClient dynamo, Settings settings, DuplicateFold duplicates) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.duplicates = duplicates;
    }

    /** The fold's state: every closure with a closed-index sort key up to {@code foldedTo} is in the rollups. */
    public record State(Instant since, String foldedTo, String pendingTo) {
    }

    /** What a fold pass did. */
    public record Report(int folded, int hoursWritten, String foldedTo, boolean complete) {
    }

    /** An hour's rollup item: its sums, and the end of the last batch added to it. */
    record Hour(FigureSums sums, String applied, long version) {
    }

    /** A closure from the closed index. */
    record Closure(String sortKey, Incident incident) {
    }

    // ---------------------------------------------------------------------------------------------------- state

    public State state() {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(PARTITION, STATE)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new State(Attr.instantMillis(item, SINCE_MS), Attr.string(item, FOLDED_TO),
                Attr.string(item, PENDING_TO));
    }

    /** The first fold: rollups start at the first whole hour {@link #LAG} from now. */
    private State start(Instant now) {
        Instant since = now.plus(LAG).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        String foldedTo = Instants.format(since);
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName())
                    .item(Map.of(TableSchema.PK, s(PARTITION), TableSchema.SK, s(STATE), SINCE_MS,
                            n(since.toEpochMilli()), FOLDED_TO, s(foldedTo)))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
            LOG.infof("Metrics rollups start with the incidents created from %s", since);
            return new State(since, foldedTo, null);
        } catch (ConditionalCheckFailedException startedByAnother) {
            return state();
        }
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
    private record Fold(String from, String to, List<Closure> closures, boolean more) implements Next {
    }

    /** Folds the closures older than {@link #LAG} into the hourly items, batch by batch, within the deadline. */
    public Report fold(Instant now, Deadline deadline) {
        State state = state();
        if (state == null) {
            return new Report(0, 0, start(now).foldedTo(), true);
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
                if (advance(batch.from(), batch.to(), batch.to())) {
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
        List<Closure> batch = closures(state.foldedTo(), state.pendingTo(), Integer.MAX_VALUE);
        return batch == null ? new Stop(state.foldedTo(), false)
                : new Fold(state.foldedTo(), state.pendingTo(), batch, false);
    }

    /** The next batch after {@code from}, up to the horizon, marked pending; or why there is none. */
    private Next take(String from, String horizon, Instant now) {
        if (from.compareTo(horizon) >= 0) {
            return new Stop(from, true);
        }
        List<Closure> found = closures(from, horizon, BATCH);
        if (found == null) {
            return new Stop(from, false); // the index is still backfilling
        }
        List<Closure> batch = ready(found, now);
        boolean held = batch.size() < found.size();
        boolean more = !held && batch.size() == BATCH;
        String to = held || more ? (batch.isEmpty() ? from : batch.get(batch.size() - 1).sortKey()) : horizon;
        if (to.equals(from)) {
            return new Stop(from, true); // held at the first closure
        }
        if (batch.isEmpty()) {
            return quiet(from, to);
        }
        return markPending(from, to) ? new Fold(from, to, batch, more) : new Retry();
    }

    /**
     * The closures before the first that still waits for its effects (pending, closed less than {@link #HOLD} ago):
     * the cursor stops just before it.
     */
    private static List<Closure> ready(List<Closure> found, Instant now) {
        List<Closure> ready = new ArrayList<>();
        for (Closure closure : found) {
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
        if (day(from).equals(day(to))) {
            return new Stop(from, true);
        }
        return advance(from, null, to) ? new Stop(to, true) : new Retry();
    }

    /** Adds the batch's closures of incidents created since {@code since} to their hours; the hours written. */
    private int addToHours(Instant since, Fold batch) {
        Map<Instant, FigureSums> byHour = new TreeMap<>();
        for (Closure closure : batch.closures()) {
            Instant created = closure.incident().createdAt();
            if (!created.isBefore(since)) {
                byHour.computeIfAbsent(created.truncatedTo(ChronoUnit.HOURS), h -> new FigureSums())
                        .add(closure.incident());
            }
        }
        int hours = 0;
        for (Map.Entry<Instant, FigureSums> e : byHour.entrySet()) {
            if (addToHour(e.getKey(), e.getValue(), batch.to())) {
                hours++;
            }
        }
        return hours;
    }

    private boolean markPending(String from, String to) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(PARTITION, STATE))
                    .updateExpression("SET #p = :to")
                    .conditionExpression("#f = :from AND attribute_not_exists(#p)")
                    .expressionAttributeNames(Map.of("#p", PENDING_TO, "#f", FOLDED_TO))
                    .expressionAttributeValues(Map.of(":to", s(to), ":from", s(from))).build());
            return true;
        } catch (ConditionalCheckFailedException movedByAnother) {
            return false;
        }
    }

    /** Moves the cursor to {@code to}, finishing the pending batch {@code pending} (or none). */
    private boolean advance(String from, String pending, String to) {
        Map<String, String> names = new HashMap<>(Map.of("#f", FOLDED_TO, "#p", PENDING_TO));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to), ":from", s(from)));
        String condition = "#f = :from AND ";
        if (pending == null) {
            condition += "attribute_not_exists(#p)";
        } else {
            condition += "#p = :pending";
            values.put(":pending", s(pending));
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(PARTITION, STATE))
                    .updateExpression("SET #f = :to REMOVE #p")
                    .conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException movedByAnother) {
            return false;
        }
    }

    /** Adds a batch's share to an hour once: false when that batch was already added (a rerun). */
    private boolean addToHour(Instant hour, FigureSums share, String batchEnd) {
        for (int round = 0; round < 20; round++) {
            var key = Attr.key(PARTITION, hourKey(hour));
            var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName()).key(key)
                    .consistentRead(true).build()).item();
            Hour current = item == null || item.isEmpty() ? null : hour(item);
            if (current != null && current.applied() != null && current.applied().compareTo(batchEnd) >= 0) {
                return false;
            }
            FigureSums sums = current == null ? new FigureSums() : current.sums();
            sums.merge(share);
            Map<String, AttributeValue> next = new LinkedHashMap<>(key);
            next.put(SUMS, s(sums.encode()));
            next.put(APPLIED, s(batchEnd));
            long version = current == null ? 0 : current.version();
            next.put(VERSION, n(version + 1));
            try {
                dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(next)
                        .conditionExpression(current == null ? "attribute_not_exists(#pk)" : "#v = :v")
                        .expressionAttributeNames(current == null ? Map.of("#pk", TableSchema.PK)
                                : Map.of("#v", VERSION))
                        .expressionAttributeValues(current == null ? null : Map.of(":v", n(version)))
                        .build());
                return true;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // an overlapping sweep wrote this hour: read it again (it may have added this very batch)
            }
        }
        throw new IllegalStateException("Could not add to the rollup of " + hour + " after 20 rounds of contention");
    }

    // ----------------------------------------------------------------------------------------------------- read

    /**
     * The closures with a sort key in (after, upTo], oldest first, at most {@code limit}, one Query per UTC day
     * partition; null when the index is still being built (kept from the claims pass: an index added by a stack
     * update refuses Queries while it backfills).
     */
    List<Closure> closures(String after, String upTo, int limit) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        LocalDate last = day(upTo);
        try {
            for (LocalDate day = day(after); !day.isAfter(last) && found.size() < limit; day = day.plusDays(1)) {
                var request = QueryRequest.builder().tableName(settings.tableName())
                        .indexName(TableSchema.Index.ESCALATION_DUE.name())
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :to")
                        .expressionAttributeNames(Map.of("#pk", TableSchema.Index.ESCALATION_DUE.hashKey(),
                                "#sk", TableSchema.Index.ESCALATION_DUE.rangeKey()))
                        .expressionAttributeValues(Map.of(":pk", s(IndexEntry.closedPartition(day)), ":after",
                                s(after + (char) 0), ":to", s(upTo)))
                        .limit(limit == Integer.MAX_VALUE ? null : Math.min(limit - found.size(), BATCH))
                        .build();
                var items = dynamo.queryPaginator(request).items().iterator();
                while (items.hasNext() && found.size() < limit) {
                    found.add(items.next());
                }
            }
        } catch (DynamoDbException notReadable) {
            if (String.valueOf(notReadable.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("backfilling")) {
                LOG.warnf("The closed index is still being built; rollups wait until it is ACTIVE");
                return null;
            }
            throw notReadable;
        }
        // a closure whose resolve died before folding its claim's duplicate count in still says duplicates_unfolded:
        // its count comes from the claim, as on every read (DuplicateFold)
        List<Closure> closures = new ArrayList<>(found.size());
        for (Map<String, AttributeValue> item : duplicates.fold(found)) {
            closures.add(new Closure(Attr.string(item, TableSchema.GSI_ESCALATION_SK), IncidentStore.decode(item)));
        }
        return closures;
    }

    /**
     * The sums of the incidents created in [from, to), by UTC day of creation: the rollups where they cover the
     * window, the rest read live (see the class comment). {@code open} reads the open index (only when the rollups are used).
     */
    public Map<LocalDate, FigureSums> read(Instant from, Instant to, Instant now,
            java.util.function.Supplier<List<Incident>> open, LiveReader live) {
        Map<LocalDate, FigureSums> byDay = new TreeMap<>();
        State state = state();
        Instant a = null;
        Instant b = null;
        if (state != null && current(state, now)) {
            a = ceilHour(from.isAfter(state.since()) ? from : state.since());
            // a window reaching past now holds all of the current hour created so far
            b = to.isAfter(now) ? now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))
                    : to.truncatedTo(ChronoUnit.HOURS);
        }
        List<Closure> tail = null;
        if (a != null && a.isBefore(b)) {
            tail = closures(state.foldedTo(), IndexEntry.through(now.plus(LAG)), Integer.MAX_VALUE);
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
        for (Map.Entry<Instant, Hour> e : hours(a, b).entrySet()) {
            applied.put(e.getKey(), e.getValue().applied());
            byDay.computeIfAbsent(LocalDate.ofInstant(e.getKey(), ZoneOffset.UTC), d -> new FigureSums())
                    .merge(e.getValue().sums());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Closure closure : tail) {
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
     * Whether the fold keeps up: its cursor is at most {@link #STALE} behind now (a day partition or two of the
     * closed index to read live) and not ahead of it. Otherwise (the sweep stopped, or a clock moved back) figures
     * are read the old way: exact, at the old cost.
     */
    static boolean current(State state, Instant now) {
        Instant cursor = Instant.parse(state.foldedTo().substring(0, 24));
        return !cursor.isAfter(now) && !cursor.isBefore(now.minus(STALE));
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

    /** The hourly items of [a, b): one Query of the rollup partition (pages of 1 MB). */
    Map<Instant, Hour> hours(Instant a, Instant b) {
        Map<Instant, Hour> found = new TreeMap<>();
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :a AND :b")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":a", s(hourKey(a)),
                        ":b", s(hourKey(b.minus(Duration.ofHours(1))))))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> found.put(hourOf(Attr.string(item, TableSchema.SK)),
                hour(item)));
        return found;
    }

    private static Hour hour(Map<String, AttributeValue> item) {
        return new Hour(FigureSums.decode(Attr.string(item, SUMS)), Attr.string(item, APPLIED),
                Attr.number(item, VERSION, 0));
    }

    static String hourKey(Instant hour) {
        return HOUR_PREFIX + Instants.format(hour).substring(0, 13);
    }

    private static Instant hourOf(String sortKey) {
        return Instant.parse(sortKey.substring(HOUR_PREFIX.length()) + ":00:00Z");
    }

    private static Instant ceilHour(Instant at) {
        Instant floor = at.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(at) ? at : floor.plus(Duration.ofHours(1));
    }

    private static LocalDate day(String sortKey) {
        return LocalDate.parse(sortKey.substring(0, 10));
    }
}
