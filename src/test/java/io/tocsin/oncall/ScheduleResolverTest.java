package io.tocsin.oncall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleResolverTest {

    static Schedule daily(ZoneId zone, LocalDateTime start) {
        return new Schedule("s", "s", zone, List.of(Layer.simple("l", start, TurnLength.days(1), List.of("a", "b"))),
                List.of());
    }

    static Duration shiftContaining(Schedule schedule, String instant) {
        Instant t = Instant.parse(instant);
        List<Shift> shifts = ScheduleResolver.shifts(schedule, t.minus(Duration.ofDays(3)), t.plus(Duration.ofDays(3)));
        return shifts.stream().filter(s -> s.contains(t)).findFirst().orElseThrow().length();
    }

    @Test
    void aDayLongShiftAcrossAChangeLastsAsLongAsTheClockSays() {
        Schedule sydney = daily(ZoneId.of("Australia/Sydney"), LocalDateTime.of(2026, 1, 1, 9, 0));
        assertEquals(Duration.ofHours(25), shiftContaining(sydney, "2026-04-04T15:00:00Z")); // clocks back at 03:00 AEDT
        assertEquals(Duration.ofHours(23), shiftContaining(sydney, "2026-10-03T15:00:00Z")); // forward at 02:00 AEST
        Schedule lordHowe = daily(ZoneId.of("Australia/Lord_Howe"), LocalDateTime.of(2026, 1, 1, 9, 0));
        assertEquals(Duration.ofMinutes(24 * 60 + 30), shiftContaining(lordHowe, "2026-04-04T14:00:00Z"));
        assertEquals(Duration.ofMinutes(23 * 60 + 30), shiftContaining(lordHowe, "2026-10-03T14:00:00Z"));
        Schedule newYork = daily(ZoneId.of("America/New_York"), LocalDateTime.of(2026, 1, 1, 9, 0));
        assertEquals(Duration.ofHours(23), shiftContaining(newYork, "2026-03-08T12:00:00Z"));
        assertEquals(Duration.ofHours(25), shiftContaining(newYork, "2026-11-01T12:00:00Z"));
    }

    @Test
    void handoffsStayAtTheLocalTimeAndGapsAndOverlapsFollowZonedDateTimeOf() {
        ZoneId newYork = ZoneId.of("America/New_York");
        Schedule at0230 = daily(newYork, LocalDateTime.of(2026, 1, 1, 2, 30));
        List<Shift> march = ScheduleResolver.shifts(at0230, Instant.parse("2026-03-07T00:00:00Z"),
                Instant.parse("2026-03-10T00:00:00Z"));
        // 02:30 on 8 March does not exist: the handoff moves later by the gap, to 03:30 EDT
        assertEquals(ZonedDateTime.parse("2026-03-08T03:30-04:00").toInstant(), march.get(1).end());
        assertEquals(ZonedDateTime.parse("2026-03-09T02:30-04:00").toInstant(), march.get(2).end());
        Schedule at0130 = daily(newYork, LocalDateTime.of(2026, 1, 1, 1, 30));
        List<Shift> november = ScheduleResolver.shifts(at0130, Instant.parse("2026-10-31T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z"));
        // 01:30 on 1 November occurs twice: the earlier offset (EDT) is used
        assertEquals(ZonedDateTime.parse("2026-11-01T01:30-04:00").toInstant(), november.get(2).start());
        assertEquals(Duration.ofHours(25), november.get(2).length());
    }

    @Test
    void overridesWinHigherLayersWinAndSamePersonTurnsJoin() {
        ZoneId utc = ZoneId.of("UTC");
        Layer low = Layer.simple("low", LocalDateTime.of(2026, 1, 1, 0, 0), TurnLength.days(1), List.of("a"));
        Layer high = new Layer("high", null, LocalDateTime.of(2026, 1, 1, 0, 0), TurnLength.parse("PT6H"),
                List.of("b", "c"), List.of(), null, Instant.parse("2026-01-01T12:00:00Z"));
        ScheduleOverride override = new ScheduleOverride("o", Instant.parse("2026-01-01T03:00:00Z"),
                Instant.parse("2026-01-01T04:00:00Z"));
        Schedule schedule = new Schedule("s", "s", utc, List.of(low, high), List.of(override));
        List<Shift> shifts = ScheduleResolver.shifts(schedule, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-03T00:00:00Z"));
        assertEquals(List.of(
                new Shift("b", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T03:00:00Z")),
                new Shift("o", Instant.parse("2026-01-01T03:00:00Z"), Instant.parse("2026-01-01T04:00:00Z")),
                new Shift("b", Instant.parse("2026-01-01T04:00:00Z"), Instant.parse("2026-01-01T06:00:00Z")),
                new Shift("c", Instant.parse("2026-01-01T06:00:00Z"), Instant.parse("2026-01-01T12:00:00Z")),
                new Shift("a", Instant.parse("2026-01-01T12:00:00Z"), Instant.parse("2026-01-03T00:00:00Z"))),
                shifts);
        assertEquals(Optional.of("o"), ScheduleResolver.onCallAt(schedule, Instant.parse("2026-01-01T03:30:00Z")));
        assertEquals(Optional.empty(), ScheduleResolver.onCallAt(schedule, Instant.parse("2025-12-31T23:00:00Z")));
        assertEquals(2, ScheduleResolver.upcoming(List.of(schedule), "b", Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofDays(1)).size());
    }

    @Test
    void turnLengthsParseAsCalendarDaysOrExactDurations() {
        assertTrue(TurnLength.parse("P1W").calendar());
        assertEquals(7, TurnLength.parse("P1W").days());
        assertEquals("P2W", TurnLength.parse("P14D").text());
        assertFalse(TurnLength.parse("PT12H").calendar());
        assertEquals(Duration.ofHours(36), TurnLength.parse("P1DT12H").exact());
        assertThrowsIllegal(() -> TurnLength.parse("P1M"));
        assertThrowsIllegal(() -> TurnLength.parse("PT0S"));
    }

    @Test
    void phoneMethodsAreUnusableUntilVerifiedAndRulesSkipThem() {
        ContactMethod mail = ContactMethod.of("mail", ContactKind.EMAIL, "ann@example.com");
        ContactMethod sms = ContactMethod.of("sms", ContactKind.SMS, "+14155550100");
        ContactMethod slack = ContactMethod.of("slack", ContactKind.SLACK, "U024BE7LH");
        assertTrue(mail.usable());
        assertTrue(slack.usable());
        assertFalse(sms.usable());
        assertTrue(sms.withState(ContactState.VERIFIED).usable());
        assertFalse(sms.withState(ContactState.OPTED_OUT).usable());
        assertFalse(mail.withState(ContactState.OPTED_OUT).usable());
        List<NotificationRule> rules = List.of(new NotificationRule("mail", Duration.ZERO),
                new NotificationRule("sms", Duration.ofMinutes(5)));
        Person ann = new Person("ann", "Ann", ZoneId.of("Europe/Berlin"), List.of(mail, sms), rules);
        assertEquals(List.of(rules.get(0)), ann.dueRules(Duration.ofMinutes(10)));
        Person verified = new Person("ann", "Ann", ZoneId.of("Europe/Berlin"), List.of(mail, sms.withState(ContactState.VERIFIED)), rules);
        assertEquals(List.of(rules.get(0)), verified.dueRules(Duration.ofMinutes(4)));
        assertEquals(rules, verified.dueRules(Duration.ofMinutes(5)));
        // opted out of email: the SMS rule still runs, the email rule is skipped
        Person optedOut = new Person("ann", "Ann", ZoneId.of("Europe/Berlin"),
                List.of(mail.withState(ContactState.OPTED_OUT), sms.withState(ContactState.VERIFIED)), rules);
        assertEquals(List.of(rules.get(1)), optedOut.dueRules(Duration.ofMinutes(5)));
        assertEquals(Optional.empty(), ContactKind.SMS.addressProblem("+14155550100"));
        assertTrue(ContactKind.SMS.addressProblem("004915550100").isPresent());
        assertTrue(ContactKind.SLACK.addressProblem("ann").isPresent());
        assertTrue(ContactKind.EMAIL.addressProblem("ann at example").isPresent());
    }

    static void assertThrowsIllegal(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, r::run);
    }
}
