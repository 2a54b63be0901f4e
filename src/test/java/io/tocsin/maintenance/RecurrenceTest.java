package io.tocsin.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Occurrences of recurring windows, evaluated in their zone, through the weeks in which daylight-saving time starts
 * and ends (2026: Europe/Berlin 29 March and 25 October, America/New_York 8 March and 1 November).
 */
class RecurrenceTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    /** "start/end" of each occurrence, as UTC instants. */
    private static List<String> spans(List<Recurrence.Occurrence> occurrences) {
        return occurrences.stream().map(o -> o.start().toInstant() + "/" + o.end().toInstant()).toList();
    }

    /** Asserts the window covers exactly [from, to) around its edges. */
    private static void coversExactly(Recurrence recurrence, String from, String to) {
        Instant start = at(from);
        Instant end = at(to);
        assertFalse(recurrence.covers(start.minusMillis(1)), "just before " + from);
        assertTrue(recurrence.covers(start), "at " + from);
        assertTrue(recurrence.covers(end.minusMillis(1)), "just before " + to);
        assertFalse(recurrence.covers(end), "at " + to);
    }

    @Test
    void everySundayTwoToFourInBerlinStaysAtLocalTwoThroughSpringForward() {
        Recurrence sunday = Recurrence.parse("FREQ=WEEKLY;BYDAY=SU", BERLIN, LocalDateTime.parse("2026-03-01T02:00"),
                Duration.ofHours(2));
        assertEquals(List.of(
                "2026-03-22T01:00:00Z/2026-03-22T03:00:00Z", // CET, UTC+1
                "2026-03-29T01:00:00Z/2026-03-29T02:00:00Z", // 02:00 does not exist: 03:00-04:00 CEST, one hour
                "2026-04-05T00:00:00Z/2026-04-05T02:00:00Z"), // CEST, UTC+2: still 02:00-04:00 local
                spans(sunday.next(at("2026-03-21T00:00:00Z"), 3)));
        coversExactly(sunday, "2026-03-22T01:00:00Z", "2026-03-22T03:00:00Z");
        coversExactly(sunday, "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z");
        coversExactly(sunday, "2026-04-05T00:00:00Z", "2026-04-05T02:00:00Z");
        assertFalse(sunday.covers(at("2026-03-30T01:00:00Z")), "Monday");
        assertEquals("2026-04-05T02:00+02:00", sunday.next(at("2026-04-01T00:00:00Z"), 1).get(0).start()
                .toOffsetDateTime().toString());
    }

    @Test
    void everySundayTwoToFourInBerlinCoversTheRepeatedHourAtFallBack() {
        Recurrence sunday = Recurrence.parse("FREQ=WEEKLY;BYDAY=SU", BERLIN, LocalDateTime.parse("2026-10-04T02:00"),
                Duration.ofHours(2));
        assertEquals(List.of(
                "2026-10-18T00:00:00Z/2026-10-18T02:00:00Z", // CEST
                "2026-10-25T00:00:00Z/2026-10-25T03:00:00Z", // 02:00 CEST to 04:00 CET: the repeated hour included
                "2026-11-01T01:00:00Z/2026-11-01T03:00:00Z"), // CET
                spans(sunday.next(at("2026-10-17T00:00:00Z"), 3)));
        coversExactly(sunday, "2026-10-25T00:00:00Z", "2026-10-25T03:00:00Z");
        coversExactly(sunday, "2026-11-01T01:00:00Z", "2026-11-01T03:00:00Z");
    }

    @Test
    void dailyHalfPastOneInNewYorkThroughBothChanges() {
        Recurrence nightly = Recurrence.parse("FREQ=DAILY", NEW_YORK, LocalDateTime.parse("2026-03-01T01:30"),
                Duration.ofHours(1));
        assertEquals(List.of(
                "2026-03-07T06:30:00Z/2026-03-07T07:30:00Z", // EST, UTC-5
                "2026-03-08T06:30:00Z/2026-03-08T07:30:00Z", // 01:30 EST to 02:30, which does not exist: 03:30 EDT
                "2026-03-09T05:30:00Z/2026-03-09T06:30:00Z"), // EDT, UTC-4: still 01:30 local
                spans(nightly.next(at("2026-03-07T00:00:00Z"), 3)));
        coversExactly(nightly, "2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z");
        assertEquals(List.of(
                "2026-10-31T05:30:00Z/2026-10-31T06:30:00Z", // EDT
                "2026-11-01T05:30:00Z/2026-11-01T07:30:00Z", // first 01:30 (EDT) to 02:30 EST: both 01:30-02:00 hours
                "2026-11-02T06:30:00Z/2026-11-02T07:30:00Z"), // EST
                spans(nightly.next(at("2026-10-31T00:00:00Z"), 3)));
        coversExactly(nightly, "2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z");
    }

    @Test
    void weekdaysAtTenPmForHalfAnHourInNewYorkStayAtLocalTenAcrossTheChange() {
        Recurrence weekdays = Recurrence.parse("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", NEW_YORK,
                LocalDateTime.parse("2026-03-02T22:00"), Duration.ofMinutes(30));
        assertEquals(List.of(
                "2026-03-06T03:00:00Z/2026-03-06T03:30:00Z", // Thu 22:00 EST
                "2026-03-07T03:00:00Z/2026-03-07T03:30:00Z", // Fri 22:00 EST
                "2026-03-10T02:00:00Z/2026-03-10T02:30:00Z"), // Mon 22:00 EDT (the weekend has none)
                spans(weekdays.next(at("2026-03-06T00:00:00Z"), 3)));
    }

    @Test
    void aWindowCrossingMidnightBelongsToTheDayItStarts() {
        // weekdays 23:00 for two hours: Friday's runs into Saturday, none starts on Saturday or Sunday
        Recurrence lateShift = Recurrence.parse("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", BERLIN,
                LocalDateTime.parse("2026-12-01T23:00"), Duration.ofHours(2));
        coversExactly(lateShift, "2026-12-04T22:00:00Z", "2026-12-05T00:00:00Z"); // Fri 23:00 - Sat 01:00 CET
        assertFalse(lateShift.covers(at("2026-12-05T22:30:00Z")), "Saturday 23:30");
        assertFalse(lateShift.covers(at("2026-12-06T23:30:00Z")), "Monday 00:30: Sunday has no occurrence");
        assertTrue(lateShift.covers(at("2026-12-07T23:30:00Z")), "Tuesday 00:30: Monday's occurrence");
        assertEquals("2026-12-08T01:00+01:00", lateShift.next(at("2026-12-07T23:30:00Z"), 1).get(0).end()
                .toOffsetDateTime().toString(), "the running occurrence is listed first");
    }

    @Test
    void intervalCountAndUntilEndTheSeries() {
        Recurrence everyOtherDay = Recurrence.parse("FREQ=DAILY;INTERVAL=2;COUNT=3", BERLIN,
                LocalDateTime.parse("2026-12-01T02:00"), Duration.ofHours(1));
        assertEquals(List.of("2026-12-01T01:00:00Z/2026-12-01T02:00:00Z", "2026-12-03T01:00:00Z/2026-12-03T02:00:00Z",
                "2026-12-05T01:00:00Z/2026-12-05T02:00:00Z"), spans(everyOtherDay.next(at("2026-11-30T00:00:00Z"), 10)));
        assertEquals(at("2026-12-05T02:00:00Z"), everyOtherDay.seriesEnd().orElseThrow(), "COUNT: exact end");
        assertTrue(everyOtherDay.next(at("2026-12-05T02:00:00Z"), 1).isEmpty());

        // UNTIL as a local date is read in the zone (and stored in UTC, as RFC 5545 wants with a zoned start)
        Recurrence until = Recurrence.parse("FREQ=DAILY;UNTIL=20261203", BERLIN, LocalDateTime.parse("2026-12-01T02:00"),
                Duration.ofHours(1));
        assertEquals("FREQ=DAILY;UNTIL=20261203T225959Z", until.rrule());
        assertEquals(3, until.next(at("2026-11-30T00:00:00Z"), 10).size());
        assertFalse(until.covers(at("2026-12-04T01:30:00Z")));
        assertTrue(until.seriesEnd().orElseThrow().isAfter(at("2026-12-03T02:00:00Z")));

        // UNTIL in the past: nothing after now
        Recurrence over = Recurrence.parse("FREQ=WEEKLY;BYDAY=SU;UNTIL=20260101T000000Z", BERLIN,
                LocalDateTime.parse("2025-11-02T02:00"), Duration.ofHours(2));
        assertTrue(over.next(at("2026-12-01T00:00:00Z"), 1).isEmpty());
        assertFalse(over.covers(at("2026-12-06T01:30:00Z")));
        assertTrue(Recurrence.parse("FREQ=WEEKLY", BERLIN, LocalDateTime.parse("2026-12-01T02:00"), Duration.ofHours(1))
                .seriesEnd().isEmpty(), "no UNTIL or COUNT: no end");
    }

    @Test
    void rulesOutsideTheSubsetAreRefusedWithAReason() {
        record Case(String rule, String message) {
        }
        for (Case c : List.of(
                new Case("FREQ=MONTHLY", "FREQ=MONTHLY is not supported"),
                new Case("FREQ=HOURLY", "FREQ=HOURLY is not supported"),
                new Case("FREQ=DAILY;BYMONTHDAY=3", "BYMONTHDAY not supported"),
                new Case("FREQ=WEEKLY;BYDAY=XX", "not a valid RFC 5545 RRULE"),
                new Case("FREQ=WEEKLY;INTERVAL=0", "not a valid RFC 5545 RRULE"),
                new Case("FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z", "not a valid RFC 5545 RRULE"),
                new Case("every sunday", "not a valid RFC 5545 RRULE"),
                new Case("FREQ=DAILY;COUNT=10001", "COUNT may be at most 10000"),
                new Case("FREQ=DAILY;INTERVAL=7;BYDAY=MO", "never occurs"))) { // from a Tuesday, every 7th day
            var error = assertThrows(IllegalArgumentException.class, () -> Recurrence.parse(c.rule(), BERLIN,
                    LocalDateTime.parse("2026-12-01T02:00"), Duration.ofHours(1)), c.rule());
            assertTrue(error.getMessage().contains(c.message()), c.rule() + " -> " + error.getMessage());
        }
        assertEquals("FREQ=WEEKLY;BYDAY=SU", Recurrence.parse("RRULE:freq=weekly;byday=su", BERLIN,
                LocalDateTime.parse("2026-12-01T02:00"), Duration.ofHours(1)).rrule(), "prefix and case tolerated");
    }
}
