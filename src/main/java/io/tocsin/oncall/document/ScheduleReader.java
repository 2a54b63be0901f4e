package io.tocsin.oncall.document;

import io.tocsin.oncall.Layer;
import io.tocsin.oncall.Restriction;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleOverride;
import io.tocsin.oncall.TurnLength;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code $.schedules}: layers (rotations with restrictions) and overrides. */
final class ScheduleReader {

    static final Set<String> SCHEDULE = Set.of("id", "name", "zone", "layers", "overrides");
    static final Set<String> LAYER = Set.of("id", "zone", "start", "turn", "members", "restrictions", "from", "until");
    static final Set<String> RESTRICTION = Set.of("days", "start", "length");
    static final Set<String> OVERRIDE = Set.of("person", "start", "end");

    private ScheduleReader() {
    }

    static List<Schedule> read(Fields root, List<Problem> problems) {
        List<Schedule> schedules = new ArrayList<>();
        for (Fields.Element element : root.array("schedules", false)) {
            Fields f = element.fields(problems, SCHEDULE);
            int before = problems.size();
            String id = f.text("id", true);
            String name = f.text("name", false);
            ZoneId zone = f.zone("zone", true);
            List<Layer> layers = new ArrayList<>();
            for (Fields.Element layer : f.array("layers", true)) {
                addIfPresent(layers, layer(layer.fields(problems, LAYER), problems));
            }
            List<ScheduleOverride> overrides = new ArrayList<>();
            for (Fields.Element o : f.array("overrides", false)) {
                addIfPresent(overrides, override(o.fields(problems, OVERRIDE)));
            }
            if (problems.size() == before) {
                schedules.add(new Schedule(id, name == null ? id : name, zone, layers, overrides));
            }
        }
        return schedules;
    }

    private static <T> void addIfPresent(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    private static Layer layer(Fields f, List<Problem> problems) {
        int before = problems.size();
        String id = f.text("id", true);
        ZoneId zone = f.zone("zone", false);
        LocalDateTime start = f.localDateTime("start", true);
        TurnLength turn = f.parsed("turn", true, "a turn length such as P1D, P1W or PT12H (at least PT1M)",
                TurnLength::parse);
        List<String> members = new ArrayList<>();
        List<Fields.Element> memberElements = f.array("members", true);
        if (memberElements.isEmpty() && f.has("members")) {
            f.problem("members", "needs at least one person");
        }
        memberElements.forEach(m -> addIfPresent(members, m.text(problems)));
        List<Restriction> restrictions = new ArrayList<>();
        for (Fields.Element r : f.array("restrictions", false)) {
            addIfPresent(restrictions, restriction(r.fields(problems, RESTRICTION), problems));
        }
        Instant from = f.instant("from", false);
        Instant until = f.instant("until", false);
        if (from != null && until != null && !from.isBefore(until)) {
            f.problem("until", "must be after from");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Layer(id, zone, start, turn, members, restrictions, from, until);
    }

    private static Restriction restriction(Fields f, List<Problem> problems) {
        int before = problems.size();
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (Fields.Element day : f.array("days", false)) {
            String text = day.text(problems);
            if (text == null) {
                continue;
            }
            try {
                days.add(DayOfWeek.valueOf(text.toUpperCase(Locale.ROOT)));
            } catch (RuntimeException e) {
                problems.add(new Problem(day.path(), "'" + text + "' is not a day of the week such as monday"));
            }
        }
        LocalTime start = f.localTime("start", true);
        Duration length = f.duration("length", true);
        if (length != null && (length.isZero() || length.compareTo(Restriction.MAX_LENGTH) > 0)) {
            f.problem("length", "must be more than 0 and at most P7D");
        }
        return problems.size() > before ? null : new Restriction(days, start, length);
    }

    private static ScheduleOverride override(Fields f) {
        String person = f.text("person", true);
        Instant start = f.instant("start", true);
        Instant end = f.instant("end", true);
        if (start != null && end != null && !start.isBefore(end)) {
            f.problem("end", "must be after start");
            return null;
        }
        return person == null || start == null || end == null ? null : new ScheduleOverride(person, start, end);
    }
}
