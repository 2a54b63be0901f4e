package io.tocsin.oncall;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When a layer may have someone on call: windows that open at local time {@code start} on each of {@code days} (every
 * day when empty) and stay open for {@code length} of local wall-clock time (business hours: Monday to Friday, 09:00,
 * 8 hours; a weekend: Friday 18:00 for 62 hours). Both ends are local times in the layer's zone, resolved like
 * handoffs (a time in a gap moves later by the gap; a repeated time takes the earlier offset).
 */
public record Restriction(Set<DayOfWeek> days, LocalTime start, Duration length) {

    /** A window longer than a week would overlap the next week's window. */
    public static final Duration MAX_LENGTH = Duration.ofDays(7);

    public Restriction {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (length.isNegative() || length.isZero() || length.compareTo(MAX_LENGTH) > 0) {
            throw new IllegalArgumentException("a restriction lasts more than 0 and at most 7 days: " + length);
        }
    }

    public boolean opensOn(DayOfWeek day) {
        return days.isEmpty() || days.contains(day);
    }

    /** The windows, as [open, close) instant pairs, that opened on a local date in [{@code from}, {@code to}]. */
    void windows(ZoneId zone, LocalDate from, LocalDate to, List<Instant[]> into) {
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            if (opensOn(date.getDayOfWeek())) {
                LocalDateTime open = date.atTime(start);
                into.add(new Instant[] {ZonedDateTime.of(open, zone).toInstant(),
                        ZonedDateTime.of(open.plus(length), zone).toInstant()});
            }
        }
    }
}
