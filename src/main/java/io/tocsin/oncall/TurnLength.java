package io.tocsin.oncall;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How long one member's turn lasts. Either a number of local calendar days ({@code P1D}, {@code P2W}: handoffs stay at
 * the same wall-clock time, so a day-long turn across a daylight-saving change lasts 23 or 25 hours) or an exact
 * duration ({@code PT12H}, {@code PT90M}: the handoff moves on the wall clock when the offset changes).
 */
public record TurnLength(int days, Duration exact) {

    public TurnLength {
        if ((days > 0) == (exact != null)) {
            throw new IllegalArgumentException("a turn is either calendar days or an exact duration");
        }
        if (exact != null && (exact.isNegative() || exact.compareTo(Duration.ofMinutes(1)) < 0)) {
            throw new IllegalArgumentException("an exact turn lasts at least one minute: " + exact);
        }
    }

    public static TurnLength days(int days) {
        return new TurnLength(days, null);
    }

    public static TurnLength exactly(Duration duration) {
        return new TurnLength(0, duration);
    }

    /**
     * ISO-8601: a period of days or weeks without a time part ({@code P1D}, {@code P1W}, {@code P10D}) is calendar
     * days; anything with a time part ({@code PT12H}, {@code P1DT12H}) is an exact duration. Months and years are
     * refused (their length is not a fixed number of days).
     */
    public static TurnLength parse(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        if (upper.contains("T")) {
            return exactly(Duration.parse(upper));
        }
        Period period = Period.parse(upper);
        if (period.getYears() != 0 || period.getMonths() != 0 || period.getDays() <= 0) {
            throw new IllegalArgumentException("'" + text + "': use days or weeks (P1D, P1W) or a duration (PT12H)");
        }
        return days(period.getDays());
    }

    public boolean calendar() {
        return days > 0;
    }

    /** The ISO-8601 text {@link #parse} reads back. */
    public String text() {
        return calendar() ? (days % 7 == 0 ? "P" + days / 7 + "W" : "P" + days + "D") : exact.toString();
    }

    /**
     * The instant of handoff {@code k} (0 = {@code start}). Calendar turns: the local date-time {@code start} plus
     * {@code k * days} days, resolved in {@code zone} by {@link ZonedDateTime#of}: a time in a spring-forward gap moves
     * later by the gap's length, a time that occurs twice takes the earlier offset. Exact turns: the instant of
     * {@code start} plus {@code k} times the duration.
     */
    public Instant handoff(LocalDateTime start, ZoneId zone, long k) {
        if (calendar()) {
            return ZonedDateTime.of(start.plusDays(k * days), zone).toInstant();
        }
        return ZonedDateTime.of(start, zone).toInstant().plus(exact.multipliedBy(k));
    }

    /** The handoff index k with {@code handoff(k) <= t < handoff(k + 1)}. */
    public long turnAt(LocalDateTime start, ZoneId zone, Instant t) {
        long k;
        if (calendar()) {
            long dayDiff = java.time.temporal.ChronoUnit.DAYS.between(start.toLocalDate(), t.atZone(zone).toLocalDate());
            k = Math.floorDiv(dayDiff, days);
        } else {
            Duration since = Duration.between(ZonedDateTime.of(start, zone).toInstant(), t);
            k = since.dividedBy(exact);
        }
        while (handoff(start, zone, k).isAfter(t)) {
            k--;
        }
        while (!handoff(start, zone, k + 1).isAfter(t)) {
            k++;
        }
        return k;
    }
}
