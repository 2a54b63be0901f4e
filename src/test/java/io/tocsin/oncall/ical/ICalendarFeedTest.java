package io.tocsin.oncall.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tocsin.oncall.Layer;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleOverride;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.TurnLength;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

class ICalendarFeedTest {

    static final Map<String, String> NAMES = Map.of("ann", "Ann; \"the, first\" \\ Ünïcødé 🚨 with a rather long name",
            "bob", "Bob", "cat", "Cat");

    static Schedule sydney() {
        Layer daily = Layer.simple("daily", LocalDateTime.of(2026, 3, 1, 2, 30), TurnLength.days(1),
                List.of("ann", "bob", "cat"));
        return new Schedule("syd", "Sydney, primary", ZoneId.of("Australia/Sydney"), List.of(daily),
                List.of(new ScheduleOverride("bob", Instant.parse("2026-04-04T10:00:00Z"),
                        Instant.parse("2026-04-05T10:00:00Z"))));
    }

    @Test
    void theFeedParsesInIcal4jAndItsEventsAreTheShifts() throws Exception {
        List<Shift> shifts = ScheduleResolver.shifts(sydney(), Instant.parse("2026-03-20T00:00:00Z"),
                Instant.parse("2026-04-20T00:00:00Z")); // across the April change
        String feed = ICalendarFeed.render("schedule/syd", "Sydney, primary", shifts, NAMES,
                Instant.parse("2026-03-19T00:00:00Z"));
        Calendar calendar = new CalendarBuilder().build(new StringReader(feed));
        calendar.validate();
        List<VEvent> events = calendar.getComponents("VEVENT");
        assertEquals(shifts.size(), events.size());
        for (int i = 0; i < shifts.size(); i++) {
            VEvent event = events.get(i);
            Temporal start = event.getStartDate().orElseThrow().getDate();
            Temporal end = event.getEndDate().orElseThrow().getDate();
            assertEquals(shifts.get(i).start(), Instant.from(start));
            assertEquals(shifts.get(i).end(), Instant.from(end));
            String summary = event.getProperty(Property.SUMMARY).map(Property::getValue).orElseThrow();
            assertEquals("On call: " + NAMES.get(shifts.get(i).person()) + " (Sydney, primary)", summary);
        }
        assertEquals(shifts.size(), events.stream()
                .map(e -> e.getProperty(Property.UID).map(Property::getValue).orElseThrow()).distinct().count());
    }

    @Test
    void linesAreFoldedAt75OctetsWithoutSplittingCharactersAndEndInCrlf() {
        List<Shift> shifts = List.of(new Shift("ann", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T00:00:00Z")));
        String feed = ICalendarFeed.render("person/ann", "Ann's shifts", shifts, NAMES, Instant.EPOCH);
        assertTrue(feed.endsWith("END:VCALENDAR\r\n"));
        for (String physical : feed.split("\r\n")) {
            assertTrue(physical.getBytes(StandardCharsets.UTF_8).length <= 75, physical);
            assertTrue(!physical.contains("\n") && !physical.contains("\r"));
        }
        assertTrue(feed.contains("\r\n "), "the long summary is folded");
        String unfolded = feed.replace("\r\n ", "");
        assertTrue(unfolded.contains("SUMMARY:On call: Ann\\; \"the\\, first\" \\\\ Ünïcødé 🚨"), unfolded);
    }

    @Test
    void uidsAreStableAcrossRenders() {
        Shift shift = new Shift("ann", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
        Shift longer = new Shift("ann", shift.start(), Instant.parse("2026-01-03T00:00:00Z"));
        assertEquals(ICalendarFeed.uid("schedule/a", shift), ICalendarFeed.uid("schedule/a", longer));
        assertTrue(!ICalendarFeed.uid("schedule/a", shift).equals(ICalendarFeed.uid("schedule/b", shift)));
    }
}
