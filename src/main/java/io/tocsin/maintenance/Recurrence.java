package io.tocsin.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * When a recurring maintenance window occurs: an RFC 5545 RRULE (the subset {@code FREQ=DAILY|WEEKLY}, {@code BYDAY},
 * {@code INTERVAL}, {@code UNTIL} or {@code COUNT}, {@code WKST}; parsed and expanded by lib-recur) from a first local
 * start (like iCalendar's DTSTART with a TZID), each occurrence lasting {@link #length()} of wall-clock time, all
 * evaluated in an IANA time zone.
 *
 * <p>Occurrences follow local time across daylight-saving changes: "every Sunday 02:00–04:00 Europe/Berlin" starts at
 * 02:00 local in winter and in summer. An occurrence covers the wall-clock span from its local start to its local end:
 * a local time that does not exist (spring forward) moves later by the gap, as {@link ZonedDateTime#ofLocal} does; in
 * the repeated hour (fall back) the start takes the earlier offset and the end the later one, so every instant whose
 * local time lies in the span is covered (02:00–04:00 on the fall-back night lasts three hours, on the spring-forward
 * night one). As in RFC 5545 expansion, only the dates the rule produces are occurrences: a first start on a day the
 * rule does not name is not one.
 *
 * <p>Immutable apart from a small per-instance cache of the occurrences around the last instant asked about, so that
 * ingest pays the expansion about once a day per window.
 */
public final class Recurrence {

    /**
     * The parts of RFC 5545 §3.3.10 this subset accepts, by name (lib-recur's Part enum must not be touched before its
     * RecurrenceRule class is initialised: their static initialisers depend on each other).
     */
    static final Set<String> SUPPORTED_PARTS = Set.of("FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST");
    static final Set<String> SUPPORTED_FREQUENCIES = Set.of("DAILY", "WEEKLY");
    /** At most this many occurrences with COUNT (a daily window for 27 years), so a series' end is quickly found. */
    public static final int MAX_COUNT = 10_000;
    public static final int MAX_RRULE_CHARS = 512;
    /** Occurrences looked at by one expansion at most: a guard, far above what any question here needs. */
    static final int MAX_STEPS = 100_000;
    /** How far ahead the cache of occurrences reaches from the instant it was made for. */
    static final Duration CACHE_SPAN = Duration.ofDays(1);

    /** One occurrence, in the window's zone. */
    public record Occurrence(ZonedDateTime start, ZonedDateTime end) {
        public boolean covers(Instant instant) {
            return !instant.isBefore(start.toInstant()) && instant.isBefore(end.toInstant());
        }
    }

    private record Cache(Instant from, Instant to, List<Occurrence> occurrences) {
    }

    private final String rrule;
    private final ZoneId zone;
    private final LocalDateTime firstStart;
    private final Duration length;
    private final TimeZone timeZone;
    private volatile Cache cache;

    private Recurrence(String rrule, ZoneId zone, LocalDateTime firstStart, Duration length) {
        this.rrule = rrule;
        this.zone = zone;
        this.firstStart = firstStart;
        this.length = length;
        this.timeZone = TimeZone.getTimeZone(zone);
    }

    /**
     * Checks and normalises a rule: an UNTIL given as a local date or date-time is read in {@code zone} and stored in
     * UTC (RFC 5545 wants UTC with a zoned start); an optional {@code RRULE:} prefix is dropped.
     *
     * @throws IllegalArgumentException with a message for the user when the rule is not in the subset or never occurs
     */
    public static Recurrence parse(String text, ZoneId zone, LocalDateTime firstStart, Duration length) {
        Objects.requireNonNull(zone);
        Objects.requireNonNull(firstStart);
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("an occurrence must last longer than zero");
        }
        String trimmed = text.trim();
        if (trimmed.regionMatches(true, 0, "RRULE:", 0, 6)) {
            trimmed = trimmed.substring(6);
        }
        if (trimmed.length() > MAX_RRULE_CHARS) {
            throw new IllegalArgumentException("is longer than " + MAX_RRULE_CHARS + " characters");
        }
        RecurrenceRule rule;
        try {
            rule = new RecurrenceRule(trimmed, RecurrenceRule.RfcMode.RFC5545_STRICT);
        } catch (InvalidRecurrenceRuleException | RuntimeException e) {
            throw new IllegalArgumentException("is not a valid RFC 5545 RRULE (" + e.getMessage()
                    + "); e.g. FREQ=WEEKLY;BYDAY=SU or FREQ=DAILY;INTERVAL=2;COUNT=10");
        }
        if (!SUPPORTED_FREQUENCIES.contains(rule.getFreq().name())) {
            throw new IllegalArgumentException("FREQ=" + rule.getFreq() + " is not supported: use FREQ=DAILY or "
                    + "FREQ=WEEKLY");
        }
        List<String> unsupported = new ArrayList<>();
        for (RecurrenceRule.Part part : RecurrenceRule.Part.values()) {
            if (!part.name().startsWith("_") && !SUPPORTED_PARTS.contains(part.name()) && rule.hasPart(part)) {
                unsupported.add(part.name());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", unsupported) + " not supported: use FREQ, INTERVAL, "
                    + "BYDAY, UNTIL or COUNT, WKST");
        }
        if (rule.getCount() != null && rule.getCount() > MAX_COUNT) {
            throw new IllegalArgumentException("COUNT may be at most " + MAX_COUNT);
        }
        DateTime until = rule.getUntil();
        if (until != null && (until.isAllDay() || until.isFloating())) {
            LocalDateTime local = until.isAllDay()
                    ? LocalDate.of(until.getYear(), until.getMonth() + 1, until.getDayOfMonth()).atTime(23, 59, 59)
                    : LocalDateTime.of(until.getYear(), until.getMonth() + 1, until.getDayOfMonth(), until.getHours(),
                            until.getMinutes(), until.getSeconds());
            rule.setUntil(new DateTime(DateTime.UTC,
                    ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toInstant().toEpochMilli()));
        }
        Recurrence recurrence = new Recurrence(rule.toString(), zone, firstStart.withNano(0), length);
        try {
            recurrence.iterator().hasNext();
        } catch (IllegalArgumentException neverOccurs) {
            throw new IllegalArgumentException("never occurs from " + firstStart + " (" + neverOccurs.getMessage() + ")");
        }
        return recurrence;
    }

    /** The normalised rule, as stored. */
    public String rrule() {
        return rrule;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first local start (DTSTART): its time of day is every occurrence's. */
    public LocalDateTime firstStart() {
        return firstStart;
    }

    /** The wall-clock length of each occurrence. */
    public Duration length() {
        return length;
    }

    /** Whether the rule has an end (UNTIL or COUNT). */
    public boolean isFinite() {
        return rule().getUntil() != null || rule().getCount() != null;
    }

    /** Whether an occurrence covers {@code instant}. */
    public boolean covers(Instant instant) {
        Cache current = cache;
        if (current == null || instant.isBefore(current.from()) || !instant.isBefore(current.to())) {
            Instant to = instant.plus(CACHE_SPAN);
            current = new Cache(instant, to, overlapping(instant, to, Integer.MAX_VALUE));
            cache = current;
        }
        return current.occurrences().stream().anyMatch(o -> o.covers(instant));
    }

    /** The next {@code count} occurrences that have not ended at {@code instant}, the running one first. */
    public List<Occurrence> next(Instant instant, int count) {
        return overlapping(instant, Instant.MAX, count);
    }

    /**
     * When the last occurrence ends, for a finite rule: exact for COUNT; for UNTIL an upper bound (UNTIL plus one
     * occurrence's length and a day for a daylight-saving shift), which saves expanding a long series.
     */
    public Optional<Instant> seriesEnd() {
        RecurrenceRule rule = rule();
        if (rule.getCount() != null) {
            RecurrenceRuleIterator it = iterator();
            it.skipAllButLast();
            return it.hasNext() ? Optional.of(occurrence(it.nextDateTime()).end().toInstant()) : Optional.empty();
        }
        if (rule.getUntil() != null) {
            return Optional.of(Instant.ofEpochMilli(rule.getUntil().getTimestamp()).plus(length)
                    .plus(Duration.ofDays(1)));
        }
        return Optional.empty();
    }

    /** Occurrences with an end after {@code from} and a start before {@code to}, in order, at most {@code limit}. */
    private List<Occurrence> overlapping(Instant from, Instant to, int limit) {
        List<Occurrence> found = new ArrayList<>();
        RecurrenceRuleIterator it = iterator();
        long skipTo = from.minus(length).minus(Duration.ofDays(1)).toEpochMilli();
        it.fastForward(skipTo);
        for (int step = 0; step < MAX_STEPS && found.size() < limit && it.hasNext(); step++) {
            Occurrence occurrence = occurrence(it.nextDateTime());
            if (!occurrence.start().toInstant().isBefore(to)) {
                break;
            }
            if (occurrence.end().toInstant().isAfter(from)) {
                found.add(occurrence);
            }
        }
        return List.copyOf(found);
    }

    private Occurrence occurrence(DateTime instance) {
        LocalDateTime local = LocalDateTime.of(instance.getYear(), instance.getMonth() + 1, instance.getDayOfMonth(),
                instance.getHours(), instance.getMinutes(), instance.getSeconds());
        ZonedDateTime start = ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap();
        ZonedDateTime end = ZonedDateTime.ofLocal(local.plus(length), zone, null).withLaterOffsetAtOverlap();
        return new Occurrence(start, end);
    }

    /** A fresh rule each time: lib-recur's rule objects are mutable, this keeps the class safe to share. */
    private RecurrenceRule rule() {
        try {
            return new RecurrenceRule(rrule, RecurrenceRule.RfcMode.RFC5545_STRICT);
        } catch (InvalidRecurrenceRuleException e) {
            throw new IllegalStateException("stored rule no longer parses: " + rrule, e);
        }
    }

    private RecurrenceRuleIterator iterator() {
        return rule().iterator(new DateTime(timeZone, firstStart.getYear(), firstStart.getMonthValue() - 1,
                firstStart.getDayOfMonth(), firstStart.getHour(), firstStart.getMinute(), firstStart.getSecond()));
    }

    /** A human description, e.g. {@code FREQ=WEEKLY;BYDAY=SU from 2026-12-06T02:00 for PT2H in Europe/Berlin}. */
    @Override
    public String toString() {
        return rrule + " from " + firstStart + " for " + length + " in " + zone;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recurrence r && r.rrule.equals(rrule) && r.zone.equals(zone)
                && r.firstStart.equals(firstStart) && r.length.equals(length);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rrule, zone, firstStart, length);
    }
}
