package io.tocsin.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's first acceptance bullet: minute by minute over 2026 and 2027, the resolver's on-call person against a
 * reference written here from the rules themselves. The reference shares no code with the resolver: it works in local
 * wall-clock time per minute and resolves local times to instants with its own reading of the zone rules (a time in a
 * gap moves later by the gap, a repeated time takes the earlier instant).
 */
class ScheduleResolverReferenceTest {

    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2028-01-01T00:00:00Z");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");
    static final Set<DayOfWeek> WEEKDAYS = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);

    record Scenario(String name, Schedule schedule, Function<Instant, String> reference, List<ZoneId> zones) {
    }

    @Test
    void everyMinuteOfTwoYearsMatchesTheReference() {
        long compared = 0;
        long mismatches = 0;
        List<String> firstMismatches = new ArrayList<>();
        long started = System.nanoTime();
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (Scenario scenario : scenarios()) {
            List<Shift> shifts = ScheduleResolver.shifts(scenario.schedule(), FROM, TO);
            long scenarioMismatches = mismatches(scenario, shifts, FROM, TO, firstMismatches);
            compared += Duration.between(FROM, TO).toMinutes();
            mismatches += scenarioMismatches;
            System.out.printf("resolver reference: %-48s %,d minutes, %,d shifts, %d mismatches%n", scenario.name(),
                    Duration.between(FROM, TO).toMinutes(), shifts.size(), scenarioMismatches);
        }
        System.out.printf("resolver reference: %,d minutes compared in all, %d mismatches, %d ms (%d ms CPU)%n",
                compared, mismatches, (System.nanoTime() - started) / 1_000_000,
                (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1_000_000);
        assertEquals(List.of(), firstMismatches);
        assertEquals(0, mismatches);
    }

    /** The comparison can fail: a Lord Howe handoff 30 minutes late differs from the reference every day. */
    @Test
    void theComparisonSeesAHandoffThirtyMinutesOff() {
        Scenario right = daily("Lord Howe", LORD_HOWE, LocalTime.of(2, 15));
        Layer late = Layer.simple("daily", LocalDate.of(2025, 12, 30).atTime(2, 45), TurnLength.days(1),
                List.of("r1", "r2", "r3"));
        Schedule wrong = new Schedule("lh", "late", LORD_HOWE, List.of(late), List.of());
        Instant end = Instant.parse("2027-01-01T00:00:00Z");
        long mismatches = mismatches(right, ScheduleResolver.shifts(wrong, FROM, end), FROM, end, new ArrayList<>());
        // 30 minutes a day, except the day of the October change (02:15 does not exist: it resolves to 02:45 too)
        assertEquals(30L * 365 - 30, mismatches);
    }

    /** Walk the minutes and the shift list together (one pointer); count the minutes whose person differs. */
    static long mismatches(Scenario scenario, List<Shift> shifts, Instant from, Instant to,
            List<String> firstMismatches) {
        int p = 0;
        long mismatches = 0;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
            while (p < shifts.size() && !shifts.get(p).end().isAfter(t)) {
                p++;
            }
            String actual = p < shifts.size() && shifts.get(p).contains(t) ? shifts.get(p).person() : null;
            String expected = scenario.reference().apply(t);
            if (!java.util.Objects.equals(expected, actual)) {
                mismatches++;
                if (firstMismatches.size() < 10) {
                    firstMismatches.add(scenario.name() + " at " + t + ": expected " + expected + ", got " + actual);
                }
            }
        }
        return mismatches;
    }

    @Test
    void everyDaylightSavingChangeIsCoveredWithoutGapOrOverlap() {
        int changes = 0;
        for (Scenario scenario : scenarios()) {
            List<Shift> shifts = ScheduleResolver.shifts(scenario.schedule(), FROM, TO);
            for (ZoneId zone : scenario.zones()) {
                for (Instant change : changes(zone)) {
                    Instant from = change.minus(Duration.ofHours(36));
                    Instant to = change.plus(Duration.ofHours(36));
                    int[] cover = coverage(shifts, from, to);
                    long gaps = java.util.Arrays.stream(cover).filter(c -> c == 0).count();
                    long overlaps = java.util.Arrays.stream(cover).map(c -> Math.max(0, c - 1)).sum();
                    assertEquals(0, gaps, scenario.name() + ": gap minutes around " + change + " (" + zone + ")");
                    assertEquals(0, overlaps, scenario.name() + ": overlap minutes around " + change);
                    changes++;
                }
            }
        }
        System.out.printf("resolver reference: %d daylight-saving changes checked, 0 gap and 0 overlap minutes%n",
                changes);
        assertTrue(changes >= 28, "too few changes found: " + changes);
    }

    /** How many shifts cover each minute of [from, to), counted from the shift list itself. */
    static int[] coverage(List<Shift> shifts, Instant from, Instant to) {
        int[] cover = new int[(int) Duration.between(from, to).toMinutes()];
        for (Shift s : shifts) {
            if (s.end().isAfter(from) && s.start().isBefore(to)) {
                long a = Math.max(0, Duration.between(from, s.start()).toMinutes());
                long b = Math.min(cover.length, Duration.between(from, s.end()).toMinutes());
                for (long m = a; m < b; m++) {
                    cover[(int) m]++;
                }
            }
        }
        return cover;
    }

    static List<Instant> changes(ZoneId zone) {
        List<Instant> out = new ArrayList<>();
        ZoneOffsetTransition next = zone.getRules().nextTransition(FROM);
        while (next != null && next.getInstant().isBefore(TO)) {
            out.add(next.getInstant());
            next = zone.getRules().nextTransition(next.getInstant());
        }
        return out;
    }

    // ---- the reference: local wall-clock rules, resolved by this test's own reading of the zone rules ----

    /** The instant of a local time: a gap moves it later by the gap; a repeated time takes the earlier instant. */
    static Instant resolve(LocalDateTime local, ZoneId zone) {
        for (Object[] hit : RECENT) {
            if (hit[0] == zone && local.equals(hit[1])) {
                return (Instant) hit[2];
            }
        }
        Instant resolved;
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = zone.getRules().getTransition(local);
            resolved = gap.getInstant().plusSeconds(ChronoUnit.SECONDS.between(gap.getDateTimeBefore(), local));
        } else {
            resolved = offsets.stream().map(local::toInstant).min(Instant::compareTo).orElseThrow();
        }
        RECENT[next] = new Object[] {zone, local, resolved};
        next = (next + 1) % RECENT.length;
        return resolved;
    }

    /** The last few resolutions (minutes are walked in order, so the same handoff is asked ~1,440 times running). */
    static final Object[][] RECENT = new Object[8][];
    static int next;

    static {
        java.util.Arrays.fill(RECENT, new Object[] {null, null, null});
    }

    /** Local wall-clock seconds since 1970-01-01T00:00 local: the instant plus the zone's offset at that instant. */
    static long localSeconds(Instant t, ZoneId zone) {
        long second = t.getEpochSecond();
        long[] span = OFFSETS.get(zone);
        if (span == null || second < span[0] || second >= span[1]) {
            // the offset holds from the last transition at or before t until the next one: look it up once per span
            java.time.zone.ZoneRules rules = zone.getRules();
            ZoneOffsetTransition previous = rules.previousTransition(t.plusSeconds(1));
            ZoneOffsetTransition following = rules.nextTransition(t);
            span = new long[] {previous == null ? Long.MIN_VALUE : previous.getInstant().getEpochSecond(),
                    following == null ? Long.MAX_VALUE : following.getInstant().getEpochSecond(),
                    rules.getOffset(t).getTotalSeconds()};
            OFFSETS.put(zone, span);
        }
        return second + span[2];
    }

    /** Per zone: [from, until) epoch seconds and the offset in seconds that holds in between. */
    static final java.util.Map<ZoneId, long[]> OFFSETS = new java.util.HashMap<>();

    static LocalDate localDate(Instant t, ZoneId zone) {
        return LocalDate.ofEpochDay(Math.floorDiv(localSeconds(t, zone), 86_400));
    }

    /** The local date whose handoff at {@code handoff} most recently passed at {@code t}, for a daily turn. */
    static LocalDate dailyTurnDate(Instant t, ZoneId zone, LocalTime handoff) {
        LocalDate date = localDate(t, zone);
        return t.isBefore(resolve(date.atTime(handoff), zone)) ? date.minusDays(1) : date;
    }

    /** The date of the most recent weekly handoff on {@code day} at {@code handoff}. */
    static LocalDate weeklyTurnDate(Instant t, ZoneId zone, DayOfWeek day, LocalTime handoff) {
        LocalDate date = localDate(t, zone).with(TemporalAdjusters.previousOrSame(day));
        return t.isBefore(resolve(date.atTime(handoff), zone)) ? date.minusWeeks(1) : date;
    }

    static String pick(List<String> members, LocalDate first, LocalDate turnDate, int daysPerTurn) {
        long turn = Math.floorDiv(turnDate.toEpochDay() - first.toEpochDay(), daysPerTurn);
        return members.get((int) Math.floorMod(turn, members.size()));
    }

    /** Is the local time of day at {@code t} in [open, close)? */
    static boolean within(Instant t, ZoneId zone, LocalTime open, LocalTime close) {
        long second = Math.floorMod(localSeconds(t, zone), 86_400);
        return second >= open.toSecondOfDay() && second < close.toSecondOfDay();
    }

    static List<Scenario> scenarios() {
        return List.of(weeklyNewYork(), overrideAcrossDst(), followTheSun(), exactTwelveHourTurns(), businessHours(),
                daily("Sydney daily, handoff 02:30 (gap and overlap)", SYDNEY, LocalTime.of(2, 30)),
                daily("Lord Howe daily, handoff 01:45 (overlap)", LORD_HOWE, LocalTime.of(1, 45)),
                daily("Lord Howe daily, handoff 02:15 (gap)", LORD_HOWE, LocalTime.of(2, 15)));
    }

    static final List<String> TRIO = List.of("ann", "bob", "cat");
    static final LocalDate MONDAY_BEFORE = LocalDate.of(2025, 12, 29);

    static Schedule weeklySchedule(List<ScheduleOverride> overrides) {
        Layer weekly = Layer.simple("weekly", MONDAY_BEFORE.atTime(9, 0), TurnLength.days(7), TRIO);
        return new Schedule("ny", "New York weekly", NEW_YORK, List.of(weekly), overrides);
    }

    static String weeklyReference(Instant t) {
        return pick(TRIO, MONDAY_BEFORE, weeklyTurnDate(t, NEW_YORK, DayOfWeek.MONDAY, LocalTime.of(9, 0)), 7);
    }

    static Scenario weeklyNewYork() {
        return new Scenario("3-person weekly, Monday 09:00 New York", weeklySchedule(List.of()),
                ScheduleResolverReferenceTest::weeklyReference, List.of(NEW_YORK));
    }

    static Scenario overrideAcrossDst() {
        Instant springFrom = Instant.parse("2026-03-07T22:00:00Z");
        Instant springTo = Instant.parse("2026-03-09T13:30:00Z");
        Instant fallFrom = Instant.parse("2027-11-06T18:00:00Z");
        Instant fallTo = Instant.parse("2027-11-07T15:00:00Z");
        List<ScheduleOverride> overrides = List.of(new ScheduleOverride("olga", springFrom, springTo),
                new ScheduleOverride("omar", fallFrom, fallTo));
        return new Scenario("weekly + overrides across DST changes", weeklySchedule(overrides), t -> {
            if (!t.isBefore(springFrom) && t.isBefore(springTo)) {
                return "olga";
            }
            if (!t.isBefore(fallFrom) && t.isBefore(fallTo)) {
                return "omar";
            }
            return weeklyReference(t);
        }, List.of(NEW_YORK));
    }

    static Scenario followTheSun() {
        List<String> backup = List.of("zoe", "yan");
        List<String> amer = List.of("lee", "max");
        List<String> emea = List.of("eva", "fin");
        LocalDate first = LocalDate.of(2025, 12, 31);
        Layer backupLayer = Layer.simple("backup", MONDAY_BEFORE.atStartOfDay(), TurnLength.days(7), backup);
        Layer amerLayer = new Layer("amer", LOS_ANGELES, first.atTime(11, 0), TurnLength.days(1), amer,
                List.of(new Restriction(Set.of(), LocalTime.of(11, 0), Duration.ofHours(12))), null, null);
        Layer emeaLayer = new Layer("emea", BERLIN, first.atTime(8, 0), TurnLength.days(1), emea,
                List.of(new Restriction(Set.of(), LocalTime.of(8, 0), Duration.ofHours(12))), null, null);
        Schedule schedule = new Schedule("sun", "Follow the sun", ZoneOffset.UTC,
                List.of(backupLayer, amerLayer, emeaLayer), List.of());
        return new Scenario("follow-the-sun 12 h Berlin + Los Angeles", schedule, t -> {
            if (within(t, BERLIN, LocalTime.of(8, 0), LocalTime.of(20, 0))) {
                return pick(emea, first, localDate(t, BERLIN), 1);
            }
            if (within(t, LOS_ANGELES, LocalTime.of(11, 0), LocalTime.of(23, 0))) {
                return pick(amer, first, localDate(t, LOS_ANGELES), 1);
            }
            return pick(backup, MONDAY_BEFORE,
                    weeklyTurnDate(t, ZoneOffset.UTC, DayOfWeek.MONDAY, LocalTime.MIDNIGHT), 7);
        }, List.of(BERLIN, LOS_ANGELES));
    }

    static Scenario exactTwelveHourTurns() {
        List<String> pair = List.of("pia", "quinn");
        Layer layer = Layer.simple("halves", LocalDateTime.of(2026, 1, 1, 8, 0), TurnLength.parse("PT12H"), pair);
        Schedule schedule = new Schedule("halves", "Exact 12 h turns", BERLIN, List.of(layer), List.of());
        Instant origin = Instant.parse("2026-01-01T07:00:00Z"); // 08:00 CET
        return new Scenario("exact 12 h turns in Berlin", schedule, t -> t.isBefore(origin)
                ? null : pair.get((int) ((Duration.between(origin, t).toMinutes() / 720) % 2)), List.of(BERLIN));
    }

    static Scenario businessHours() {
        List<String> day = List.of("dan", "eli", "fay");
        List<String> office = List.of("gus", "hal");
        LocalDate first = LocalDate.of(2025, 12, 31);
        Layer always = Layer.simple("always", first.atTime(10, 0), TurnLength.days(1), day);
        Layer hours = new Layer("office", null, MONDAY_BEFORE.atTime(9, 0), TurnLength.days(7), office,
                List.of(new Restriction(WEEKDAYS, LocalTime.of(9, 0), Duration.ofHours(8))), null, null);
        Schedule schedule = new Schedule("office", "Business hours", LONDON, List.of(always, hours), List.of());
        return new Scenario("business hours over 24/7 in London", schedule, t -> {
            LocalDate today = localDate(t, LONDON);
            if (WEEKDAYS.contains(today.getDayOfWeek()) && within(t, LONDON, LocalTime.of(9, 0), LocalTime.of(17, 0))) {
                return pick(office, MONDAY_BEFORE, today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), 7);
            }
            return pick(day, first, dailyTurnDate(t, LONDON, LocalTime.of(10, 0)), 1);
        }, List.of(LONDON));
    }

    static Scenario daily(String name, ZoneId zone, LocalTime handoff) {
        List<String> members = List.of("r1", "r2", "r3");
        LocalDate first = LocalDate.of(2025, 12, 30);
        Layer layer = Layer.simple("daily", first.atTime(handoff), TurnLength.days(1), members);
        Schedule schedule = new Schedule(zone.getId(), name, zone, List.of(layer), List.of());
        return new Scenario(name, schedule, t -> pick(members, first, dailyTurnDate(t, zone, handoff), 1),
                List.of(zone));
    }
}
