package io.tocsin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertCodec;
import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.dashboard.DashboardFilter;
import io.tocsin.dashboard.DashboardPage;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.incident.IncidentHistory;
import io.tocsin.incident.IncidentWrites;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.store.Attr;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.support.MutableClock;
import io.tocsin.time.Deadline;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The hourly rollups: figures read through them equal the figures of every incident read one by one (the old way),
 * through folds, reruns, a fold that crashed half-way, closures not folded yet and incidents from before the rollups;
 * and what a dashboard view, metrics over 93 days and a fold cost in requests. Its own table, so that the rollups'
 * state is this test's.
 */
@QuarkusTest
@TestProfile(RollupsTest.OwnTable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollupsTest {

    public static class OwnTable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pagerduty.enabled", "false");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2031-05-01T00:00:00Z");
    private static final String[] SOURCES = { "api", "db", "cache", "queue" };

    @Inject
    IncidentWrites writes;
    @Inject
    io.tocsin.incident.IncidentTransitions transitions;
    @Inject
    io.tocsin.incident.EscalationWrites escalations;
    @Inject
    IncidentMetrics metrics;
    @Inject
    Rollups rollups;
    @Inject
    IncidentHistory history;
    @Inject
    DashboardPage dashboard;
    @Inject
    MutableClock clock;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;

    private int serial;

    /** A write due at {@code at}: the fixture writes each once the clock has reached it, as production would. */
    private record Due(Instant at, int order, Runnable write) {
    }

    private final List<Due> due = new ArrayList<>();

    /** Writes every scheduled change up to {@code until}, in time order. */
    private void until(Instant until) {
        due.sort(java.util.Comparator.comparing(Due::at).thenComparing(Due::order));
        while (!due.isEmpty() && !due.get(0).at().isAfter(until)) {
            due.remove(0).write().run();
        }
    }

    /** An incident created at {@code at}; acknowledged and resolved after the given minutes (negative: never). */
    private void incident(Instant at, int ackMinutes, int resolveMinutes) {
        int n = serial++;
        String id = UUID.randomUUID().toString();
        Severity severity = Severity.values()[n % Severity.values().length];
        Alert alert = new Alert(severity, "rollup " + n, "", SOURCES[n % SOURCES.length], JSON.createObjectNode(),
                "k-" + id, false, null, at);
        Delivery delivery = new Delivery(n % 7 == 0 ? DeliveryState.FAILED : DeliveryState.DELIVERED, 1,
                n % 7 == 0 ? 400 : 202, List.of(), null, false);
        due.add(new Due(at, n * 10, () -> writes.recordTriggered(id, alert, AlertCodec.encode(alert),
                io.tocsin.support.Outboxes.trigger(delivery, at), at)));
        if (n % 5 == 0) {
            due.add(new Due(at.plusSeconds(5), n * 10 + 1, () -> writes.foldDuplicates(id,
                    new io.tocsin.dedup.DedupStore.ClaimCount(id, n % 3 + 1, at.plusSeconds(5)))));
        }
        Instant ack = ackMinutes >= 0 ? at.plus(Duration.ofMinutes(ackMinutes)) : null;
        Instant resolve = resolveMinutes >= 0 ? at.plus(Duration.ofMinutes(resolveMinutes)) : null;
        Instant escalation = at.plusSeconds(30);
        if (n % 6 == 0 && (ack == null || ack.isAfter(escalation))) {
            due.add(new Due(escalation, n * 10 + 2, () -> escalations.escalate(id, 1, null, "fixture", escalation,
                    List.of())));
        }
        if (ack != null) {
            due.add(new Due(ack, n * 10 + 3, () -> transitions.acknowledge(id, "alice", "ack", ack, List.of())));
        }
        if (resolve != null) {
            due.add(new Due(resolve, n * 10 + 4, () -> transitions.resolve(id, "bob", "fixed", resolve, List.of())));
        }
        if (n % 9 == 0) {
            Alert quiet = new Alert(Severity.LOW, "maintenance " + n, "", "db", JSON.createObjectNode(), "q" + n,
                    false, null, at);
            due.add(new Due(at.plusSeconds(1), n * 10 + 5, () -> writes.recordSuppressed(UUID.randomUUID().toString(),
                    quiet, AlertCodec.encode(quiet), SuppressionReason.MAINTENANCE, "w-1", at.plusSeconds(1))));
        }
    }

    /** Moves the clock to {@code now}, writing what is due by then. */
    private void at(Instant now) {
        until(now);
        clock.set(now);
    }

    /** The figures of every incident created in [from, to), read one by one: what the rollups must equal. */
    private Figures everyIncident(Instant from, Instant to) {
        FigureSums sums = new FigureSums();
        history.all(from, to.minusMillis(1)).forEach(sums::add);
        return sums.figures(from, to);
    }

    private void assertSameFigures(Instant from, Instant to) {
        Figures expected = everyIncident(from, to);
        Figures actual = metrics.compute(from, to);
        assertEquals(expected, actual, "window " + from + " – " + to);
        assertTrue(expected.counts().total() > 0 || from.equals(to), "the window holds incidents: " + from);
    }

    @Test
    @Order(1)
    void rollupsGiveTheFiguresOfEveryIncident() {
        clock.set(T0);
        Rollups.Report started = rollups.fold(T0, Deadline.NONE);
        assertEquals(0, started.folded());
        Rollups.State state = rollups.state();
        Instant since = state.since();
        assertEquals(T0.plus(Rollups.LAG).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)), since);

        // before the rollups start: an incident created and resolved, one created before and resolved after
        incident(T0.plusSeconds(60), 1, 5);
        incident(T0.plusSeconds(120), 3, 300);
        // 30 hours of incidents from the start: acknowledged/resolved after a few minutes to a few hours, some open
        for (int h = 0; h < 30; h++) {
            for (int k = 0; k < 3; k++) {
                Instant at = since.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(7 + 17 * k));
                int n = h * 3 + k;
                incident(at, n % 4 == 3 ? -1 : 1 + n % 13, n % 8 == 7 ? -1 : 20 + (n * 37) % 400);
            }
        }
        Instant end = since.plus(Duration.ofHours(30));

        // folds at several moments, each compared with the old way over aligned, partial and mixed windows
        for (Instant now : List.of(since.plus(Duration.ofHours(2)), since.plus(Duration.ofHours(11)),
                end.plus(Duration.ofMinutes(5)), end.plus(Duration.ofHours(9)))) {
            at(now);
            Rollups.Report report = rollups.fold(now, Deadline.NONE);
            assertTrue(report.complete(), report.toString());
            Rollups.State after = rollups.state();
            assertNull(after.pendingTo(), "no batch left pending");
            assertSameFigures(T0, now.plusMillis(1));
            assertSameFigures(since, now.truncatedTo(ChronoUnit.HOURS));
            assertSameFigures(since.plus(Duration.ofMinutes(37)), now.minus(Duration.ofMinutes(71)));
            Rollups.Report rerun = rollups.fold(now, Deadline.NONE);
            assertEquals(0, rerun.hoursWritten(), "a rerun adds nothing: " + rerun);
            assertSameFigures(since, now.plusMillis(1));
        }
        assertTrue(rollups.state().foldedTo().compareTo(io.tocsin.time.Instants.format(end)) > 0,
                "every closure of the fixture folded: " + rollups.state());
    }

    private void setState(String foldedTo, String pendingTo) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(Rollups.PARTITION, RollupCursor.STATE))
                .updateExpression("SET #f = :f, #p = :p")
                .expressionAttributeNames(Map.of("#f", RollupCursor.FOLDED_TO, "#p", RollupCursor.PENDING_TO))
                .expressionAttributeValues(Map.of(":f", Attr.s(foldedTo), ":p", Attr.s(pendingTo))).build());
    }

    @Test
    @Order(2)
    void aFoldThatDiedHalfWayIsFinishedOnceByTheNext() {
        Rollups.State before = rollups.state();
        Instant start = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < 12; i++) {
            incident(start.plus(Duration.ofMinutes(10L * i)), 2, 30 + i);
        }
        Instant now = start.plus(Duration.ofHours(3));
        at(now);
        Rollups.Report folded = rollups.fold(now, Deadline.NONE);
        assertEquals(12 + 2, folded.folded(), "12 incidents and 2 maintenance records closed: " + folded);
        assertTrue(folded.hoursWritten() >= 2, folded.toString());
        // as if the hours had been written and the run died before moving the cursor: the next run finds the batch
        // pending, skips the hours that hold it, and moves the cursor
        setState(before.foldedTo(), folded.foldedTo());
        assertEquals(0, rollups.fold(now, Deadline.NONE).hoursWritten());
        assertEquals(folded.foldedTo(), rollups.state().foldedTo());
        assertNull(rollups.state().pendingTo());
        assertSameFigures(start, now.plusMillis(1));
        assertSameFigures(T0, now.plusMillis(1));
    }

    @Test
    @Order(3)
    void closuresNotFoldedYetAndOpenIncidentsAreReadLive() {
        Instant now = clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        at(now.minus(Duration.ofHours(1)));
        rollups.fold(now.minus(Duration.ofHours(1)), Deadline.NONE);
        String cursor = rollups.state().foldedTo();
        // resolved a minute ago (within the lag: not foldable), and open ones
        incident(now.minus(Duration.ofMinutes(50)), 3, 49);
        incident(now.minus(Duration.ofMinutes(40)), 2, -1);
        incident(now.minus(Duration.ofMinutes(30)), -1, -1);
        at(now);
        assertEquals(1, rollups.fold(now, Deadline.NONE).folded(),
                "only the maintenance record of 50 minutes ago is older than the lag; the resolve of a minute ago is not");
        assertTrue(rollups.state().foldedTo().compareTo(cursor) > 0);
        assertTrue(rollups.state().foldedTo().compareTo(io.tocsin.time.Instants.format(now.minusSeconds(60))) < 0);
        assertSameFigures(T0, now.plusMillis(1));
        Figures figures = metrics.compute(now.minus(Duration.ofHours(1)), now.plusMillis(1));
        assertEquals(3, figures.counts().total());
        assertEquals(2, figures.counts().active());
        assertEquals(1, figures.counts().resolved());
    }

    @Test
    @Order(4)
    void aDashboardViewAndMetricsOver93DaysCostTheSameRequestsWhateverTheIncidents() {
        // 100 days on: the rollups cover every window, each day of the last 93 holds incidents
        Instant base = clock.instant().plus(Duration.ofDays(100)).truncatedTo(ChronoUnit.DAYS);
        Map<String, Integer> dashboardSmall = Map.of();
        Map<String, Integer> metricsSmall = null;
        int perDay = 1;
        for (int round = 0; round < 2; round++) {
            // each round in its own 93 days (writes never go behind the fold's cursor, as in production)
            Instant now = base.plus(Duration.ofDays(200L * round)).plus(Duration.ofHours(12));
            for (int d = 0; d < 93; d++) {
                Instant day = now.minus(Duration.ofDays(d)).truncatedTo(ChronoUnit.DAYS);
                for (int k = 0; k < perDay; k++) {
                    Instant at = day.plus(Duration.ofMinutes(5 + 7L * k));
                    if (at.isBefore(now.minus(Duration.ofHours(1)))) {
                        incident(at, 2 + k % 5, 10 + k % 50);
                    }
                }
            }
            at(now);
            var fold = DynamoRequestMeter.measure(() -> rollups.fold(now, Deadline.NONE));
            System.out.printf("Fold of %d closures into %d hours: %s%n", fold.result().folded(),
                    fold.result().hoursWritten(), fold.requests());
            // per batch of at most 500 closures: the state (read, pending, cursor), the closed index's day partitions,
            // a read and a write per hour touched; nothing that grows with the history
            int batches = (fold.result().folded() + Rollups.BATCH - 1) / Rollups.BATCH;
            assertEquals(2 * fold.result().hoursWritten(), fold.requests().getOrDefault("PutItem", 0)
                    + fold.requests().getOrDefault("GetItem", 0) - 1, fold.requests().toString());
            assertEquals(2 * batches, fold.requests().getOrDefault("UpdateItem", 0), fold.requests().toString());

            var view = DynamoRequestMeter.measure(() -> dashboard.view(DashboardFilter.NONE));
            Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(93));
            Instant to = now.truncatedTo(ChronoUnit.HOURS);
            var over93 = DynamoRequestMeter.measure(() -> metrics.compute(from, to));
            System.out.printf("%d incidents a day: dashboard view %s, metrics over 93 days %s (%d incidents)%n",
                    perDay, view.requests(), over93.requests(), over93.result().counts().total());
            assertEquals(everyIncident(from, to), over93.result());
            if (round == 0) {
                dashboardSmall = view.requests();
                metricsSmall = over93.requests();
                // the rollup state, then: the hourly items (one Query), the closures not folded yet (today's
                // partition), the open index; the dashboard also reads one page of history (a Query per day until a
                // page is full: 14 here), the heartbeats and the on-call document (who is on call now and next)
                // (and the dedup claims of the few open or not yet folded incidents, DuplicateFold: one
                // BatchGetItem per list of up to 100 of them — the open list, the closures, the history page)
                assertEquals(Map.of("GetItem", 1, "Query", 3), withoutClaims(metricsSmall, 2));
                assertEquals(Map.of("GetItem", 1, "Query", 3 + DashboardPage.WINDOW_DAYS + 2),
                        withoutClaims(dashboardSmall, 3));
            } else {
                // the history's page fills from fewer days with more incidents: never more requests
                assertEquals(1, view.requests().get("GetItem"));
                assertTrue(view.requests().get("Query") <= dashboardSmall.get("Query"), view.requests().toString());
                assertEquals(withoutClaims(metricsSmall, 2), withoutClaims(over93.requests(), 2),
                        "metrics over 93 days: the same requests");
            }
            perDay = 8;
        }
    }

    /**
     * {@code requests} without the reads of dedup claims (DuplicateFold: a GetItem for a list with one incident to
     * fold, else BatchGetItems), at most {@code max} of them; the one GetItem left is the rollups' state.
     */
    private static Map<String, Integer> withoutClaims(Map<String, Integer> requests, int max) {
        int claimReads = requests.getOrDefault("BatchGetItem", 0) + requests.getOrDefault("GetItem", 1) - 1;
        assertTrue(claimReads <= max, "claims read at most " + max + " times: " + requests);
        Map<String, Integer> rest = new java.util.HashMap<>(requests);
        rest.remove("BatchGetItem");
        rest.computeIfPresent("GetItem", (k, v) -> 1);
        return rest;
    }

    @Test
    @Order(5)
    void aClosureWithItsPageStillPendingHoldsTheFoldForAtMostTheHold() {
        Instant start = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        at(start);
        rollups.fold(start, Deadline.NONE);
        // resolved while its page is still pending (PagerDuty down): a failure may yet be recorded on it
        String held = UUID.randomUUID().toString();
        Instant created = start.plus(Duration.ofMinutes(5));
        Alert alert = new Alert(Severity.CRITICAL, "page pending", "", "api", JSON.createObjectNode(), "k-" + held,
                false, null, created);
        writes.recordTriggered(held, alert, AlertCodec.encode(alert), io.tocsin.support.Outboxes.trigger(
                new Delivery(DeliveryState.PENDING, 1, 503, List.of("HTTP 503"), created.plusSeconds(60), false),
                created), created);
        transitions.resolve(held, "bob", "fixed", created.plus(Duration.ofMinutes(10)), List.of());
        // and one resolved after it, nothing pending
        incident(start.plus(Duration.ofMinutes(20)), 1, 2);
        Instant now = start.plus(Duration.ofHours(1));
        at(now);
        String before = rollups.state().foldedTo();
        Rollups.Report report = rollups.fold(now, Deadline.NONE);
        assertEquals(0, report.folded(), "the cursor waits before the closure with a pending page: " + report);
        assertEquals(before, rollups.state().foldedTo());
        assertSameFigures(start, now.plusMillis(1));

        Instant later = created.plus(Duration.ofMinutes(10)).plus(Rollups.HOLD).plusSeconds(1);
        at(later);
        Rollups.Report after = rollups.fold(later, Deadline.NONE);
        assertTrue(after.folded() >= 2, "past the hold, folded as it stands: " + after);
        assertEquals(io.tocsin.time.Instants.format(later.minus(Rollups.LAG)) + "#~", rollups.state().foldedTo(),
                "the cursor at the lag's horizon, nothing held any more");
        assertSameFigures(start, later.plusMillis(1));
    }

    @Inject
    MetricsFunction metricsFunction;
    @Inject
    io.tocsin.summary.DailySummary summary;
    @Inject
    io.tocsin.incident.IncidentStore incidents;

    /**
     * Retention (TOCSIN_RETENTION, 400 days here): a day of incidents, then two years of moved clock. Each closed
     * incident carries its expiry (closing instant + retention), an open one none; past it, the incident page, the
     * list and the live reads skip the closed incidents (dynalite, like DynamoDB for up to days, still holds them),
     * the open one stays; metrics (the function) and the daily summary over that day are what they were.
     */
    @Test
    @Order(6)
    void pastTheRetentionClosedIncidentsAreGoneAndTheFiguresStay() {
        assertEquals(java.util.Optional.of(Duration.ofDays(400)), settings.retention());
        Instant day = clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS);
        at(day.minus(Duration.ofHours(1)));
        rollups.fold(clock.instant(), Deadline.NONE);
        // the summary's day: the 24 hours before 08:00 UTC (ALERT_SUMMARY_EMAIL_TIME's default)
        Instant from = day.plus(Duration.ofHours(8));
        Instant to = from.plus(Duration.ofDays(1));
        for (int h = 0; h < 24; h++) {
            for (int k = 0; k < 2; k++) {
                int n = h * 2 + k;
                incident(from.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(5 + 23 * k)),
                        n % 5 == 4 ? -1 : 1 + n % 7, n == 13 ? -1 : 30 + (n * 53) % 600);
            }
        }
        Instant folded = to.plus(Duration.ofHours(12));
        at(folded);
        assertTrue(rollups.fold(folded, Deadline.NONE).complete());
        var window = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString());
        var metricsBefore = metricsFunction.metrics(window);
        var summaryBefore = summary.report(LocalDate(to), folded);
        List<io.tocsin.incident.Incident> created = history.all(from, to.minusMillis(1));
        assertTrue(created.size() > 48, "48 incidents and their suppressed records: " + created.size());
        assertTrue(summaryBefore.incidents() >= 48 && summaryBefore.suppressedMaintenance() > 0, summaryBefore.toString());
        String open = null;
        for (io.tocsin.incident.Incident incident : created) {
            var item = dynamo.getItem(b -> b.tableName(settings.tableName())
                    .key(Attr.key(io.tocsin.incident.IncidentStore.partitionKey(incident.id()),
                            io.tocsin.incident.IncidentStore.SK_META))).item();
            Instant closedAt = switch (incident.status()) {
                case RESOLVED -> incident.resolvedAt();
                case SUPPRESSED -> incident.createdAt();
                default -> null;
            };
            if (closedAt == null) {
                assertNull(item.get(io.tocsin.store.TableSchema.TTL_ATTRIBUTE), "an open incident never expires");
                open = incident.id();
            } else {
                assertEquals(closedAt.plus(Duration.ofDays(400)).getEpochSecond(),
                        Attr.number(item, io.tocsin.store.TableSchema.TTL_ATTRIBUTE, -1), incident.toString());
            }
        }
        assertTrue(open != null, "the fixture leaves incidents open");

        Instant later = folded.plus(Duration.ofDays(730));
        at(later);
        assertTrue(rollups.fold(later, Deadline.NONE).complete(), "the rollups are current two years on");
        List<io.tocsin.incident.Incident> left = history.all(from, to.minusMillis(1));
        assertTrue(left.stream().allMatch(i -> i.resolvedAt() == null
                && i.status() != io.tocsin.incident.IncidentStatus.SUPPRESSED), "only open incidents are left: " + left);
        assertTrue(left.stream().anyMatch(i -> i.id().equals(created.stream().filter(c -> c.resolvedAt() == null
                && c.status() != io.tocsin.incident.IncidentStatus.SUPPRESSED).findFirst().orElseThrow().id())));
        for (io.tocsin.incident.Incident incident : created) {
            boolean closed = incident.status() == io.tocsin.incident.IncidentStatus.RESOLVED
                    || incident.status() == io.tocsin.incident.IncidentStatus.SUPPRESSED;
            assertEquals(!closed, incidents.findWithDuplicates(incident.id()).isPresent(), incident.toString());
            assertTrue(incidents.findAsStored(incident.id()).isPresent(),
                    "still in the table (dynalite never deletes; DynamoDB up to days late): only reads skip it");
        }
        var listed = history.list(new IncidentHistory.Filter(java.util.Set.of(), null, null, from, to, 100), null);
        assertEquals(left.stream().map(io.tocsin.incident.Incident::id).sorted().toList(),
                listed.incidents().stream().map(io.tocsin.incident.Incident::id).sorted().toList());

        assertEquals(metricsBefore, metricsFunction.metrics(window), "metrics over the day are unchanged");
        var summaryAfter = summary.report(LocalDate(to), later);
        assertEquals(summaryBefore.incidents(), summaryAfter.incidents());
        assertEquals(summaryBefore.totalAlerts(), summaryAfter.totalAlerts());
        assertEquals(summaryBefore.bySeverity(), summaryAfter.bySeverity());
        assertEquals(summaryBefore.mtta(), summaryAfter.mtta());
        assertEquals(summaryBefore.mttr(), summaryAfter.mttr());
        assertEquals(summaryBefore.topSources(), summaryAfter.topSources());
        assertEquals(summaryBefore.suppressedMaintenance(), summaryAfter.suppressedMaintenance());
        assertEquals(summaryBefore.escalatedIncidents(), summaryAfter.escalatedIncidents());
        assertEquals(summaryBefore.deliveryFailures(), summaryAfter.deliveryFailures());
        assertTrue(summaryAfter.unresolved().stream().anyMatch(u -> u.id().equals(created.stream()
                .filter(c -> c.resolvedAt() == null && c.status() != io.tocsin.incident.IncidentStatus.SUPPRESSED)
                .findFirst().orElseThrow().id())), "the open incident is still listed");
    }

    private static java.time.LocalDate LocalDate(Instant summaryEnd) {
        return java.time.LocalDate.ofInstant(summaryEnd, java.time.ZoneOffset.UTC);
    }
}
