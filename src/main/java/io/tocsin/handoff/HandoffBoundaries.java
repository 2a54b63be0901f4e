package io.tocsin.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;

/**
 * The handoffs of a schedule in a window: every instant in (from, to] where who is on call changes, with a notice for
 * the person whose shift ends and one for the person whose shift begins (the resolver joins a person's consecutive
 * shifts, so a boundary is always a change of person, or to or from no one).
 */
final class HandoffBoundaries {

    /** How far past the window the resolver looks, for the end of an incoming shift. */
    static final Duration UNTIL_HORIZON = Duration.ofDays(31);

    private HandoffBoundaries() {
    }

    /** The notices of boundaries {@code b} with {@code from < b <= to}, in time order (outgoing before incoming). */
    static List<Handoff> between(Schedule schedule, Instant from, Instant to) {
        // one minute before the window, so that a shift covering `from` is not cut there and mistaken for a boundary
        Instant start = from.minus(Duration.ofMinutes(1));
        List<Shift> shifts = ScheduleResolver.shifts(schedule, start, to.plus(UNTIL_HORIZON));
        List<Handoff> notices = new ArrayList<>();
        for (int i = 0; i < shifts.size(); i++) {
            Shift shift = shifts.get(i);
            Shift previous = i > 0 ? shifts.get(i - 1) : null;
            Shift next = i + 1 < shifts.size() ? shifts.get(i + 1) : null;
            Instant begin = shift.start();
            if (begin.isAfter(from) && !begin.isAfter(to)) {
                String before = previous != null && previous.end().equals(begin) ? previous.person() : null;
                Instant until = shift.end().isBefore(to.plus(UNTIL_HORIZON)) ? shift.end() : null;
                notices.add(new Handoff(schedule.id(), begin, true, shift.person(), before, until));
            }
            Instant end = shift.end();
            if (end.isAfter(from) && !end.isAfter(to)) {
                String after = next != null && next.start().equals(end) ? next.person() : null;
                notices.add(new Handoff(schedule.id(), end, false, shift.person(), after, null));
            }
        }
        notices.sort(java.util.Comparator.comparing(Handoff::boundary).thenComparing(Handoff::incoming));
        return notices;
    }
}
