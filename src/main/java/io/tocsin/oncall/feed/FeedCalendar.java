package io.tocsin.oncall.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.ical.ICalendarFeed;

/**
 * What a feed shows: the final shifts overlapping [{@code now} - {@link #BEHIND}, {@code now} + {@link #AHEAD}), for a
 * schedule every shift, for a person their shifts on every schedule (each named by its schedule). Calendar apps
 * re-fetch a feed every few hours, so the window moves with time; shifts outside it are not in the calendar.
 */
public final class FeedCalendar {

    /** How far back a feed goes: two weeks, enough to look up last week's on-call in a calendar app. */
    public static final Duration BEHIND = Duration.ofDays(14);
    /** How far ahead a feed goes: about a quarter, as far as people plan swaps and holidays. */
    public static final Duration AHEAD = Duration.ofDays(90);

    private FeedCalendar() {
    }

    /** The calendar of {@code scope} at {@code now}, or empty when its schedule or person is no longer configured. */
    public static Optional<String> render(OnCallDocument document, FeedScope scope, Instant now) {
        Instant from = now.minus(BEHIND);
        Instant to = now.plus(AHEAD);
        if (scope.kind() == FeedScope.Kind.SCHEDULE) {
            return document.schedules().stream().filter(s -> s.id().equals(scope.ref())).findFirst()
                    .map(schedule -> ICalendarFeed.render(scope.path(), schedule.name(),
                            ScheduleResolver.shifts(schedule, from, to), names(document), now));
        }
        Optional<Person> person = document.people().stream().filter(p -> p.id().equals(scope.ref())).findFirst();
        if (person.isEmpty()) {
            return Optional.empty();
        }
        List<ICalendarFeed.Event> events = new ArrayList<>();
        for (Schedule schedule : document.schedules()) {
            ScheduleResolver.shifts(schedule, from, to).stream().filter(s -> s.person().equals(scope.ref()))
                    .forEach(s -> events.add(new ICalendarFeed.Event(scope.path() + "/" + schedule.id(), s,
                            "On call: " + schedule.name())));
        }
        events.sort(Comparator.comparing((ICalendarFeed.Event e) -> e.shift().start())
                .thenComparing(ICalendarFeed.Event::scope));
        return Optional.of(ICalendarFeed.render(person.get().name() + " on call", events, now));
    }

    private static java.util.Map<String, String> names(OnCallDocument document) {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        document.people().forEach(p -> names.put(p.id(), p.name()));
        return names;
    }
}
