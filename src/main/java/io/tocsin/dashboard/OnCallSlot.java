package io.tocsin.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.time.Durations;

/**
 * The dashboard's "On call now and next": for each schedule of the applied on-call document, who is on call now (and
 * until when) and who is next (and from when), within {@link #LOOKAHEAD}. One Query of the on-call partition per
 * view ({@link OnCallStore#load}); no schedule keeps the "not configured" note.
 */
final class OnCallSlot {

    /** How far ahead "next" is looked for: a month covers every usual rotation. */
    static final Duration LOOKAHEAD = Duration.ofDays(31);
    /** The note when no schedule is configured. */
    static final String NOT_CONFIGURED = "On-call schedules: not configured. Apply an on-call document "
            + "(docs/oncall.md), or page through PagerDuty, whose schedules say who is on call.";
    static final String UNREADABLE = "On-call schedules: the stored on-call document does not read; apply it again.";
    static final String NO_ONE = "no one";

    private OnCallSlot() {
    }

    /** The slot as of {@code now}, from one read of the on-call partition. */
    static DashboardView.OnCall read(OnCallStore store, Instant now) {
        OnCallDocument document;
        try {
            document = store.load();
        } catch (OnCallStore.UnreadableException | IllegalStateException e) {
            return new DashboardView.OnCall(List.of(), UNREADABLE);
        }
        return of(document, now);
    }

    static DashboardView.OnCall of(OnCallDocument document, Instant now) {
        if (document.schedules().isEmpty()) {
            return new DashboardView.OnCall(List.of(), NOT_CONFIGURED);
        }
        List<DashboardView.OnCallRow> rows = new ArrayList<>();
        for (Schedule schedule : document.schedules()) {
            List<Shift> shifts = ScheduleResolver.shifts(schedule, now, now.plus(LOOKAHEAD));
            Optional<Shift> current = shifts.stream().filter(s -> s.contains(now)).findFirst();
            Optional<Shift> next = shifts.stream().filter(s -> s.start().isAfter(now)).findFirst();
            rows.add(new DashboardView.OnCallRow(schedule.name(),
                    current.map(s -> name(document, s.person())).orElse(NO_ONE),
                    current.map(s -> until(s.end(), now)).orElse(""),
                    next.map(s -> name(document, s.person())).orElse(NO_ONE),
                    next.map(s -> DashboardPage.TIME.format(s.start()) + " (in "
                            + Durations.human(Duration.between(now, s.start())) + ")").orElse("")));
        }
        return new DashboardView.OnCall(rows, "");
    }

    /** Until when the current shift lasts; a shift cut at the lookahead lasts beyond it. */
    private static String until(Instant end, Instant now) {
        if (!end.isBefore(now.plus(LOOKAHEAD))) {
            return "beyond " + LOOKAHEAD.toDays() + " days";
        }
        return DashboardPage.TIME.format(end) + " (for " + Durations.human(Duration.between(now, end)) + ")";
    }

    private static String name(OnCallDocument document, String id) {
        return document.people().stream().filter(p -> p.id().equals(id)).findFirst().map(Person::name).orElse(id);
    }
}
