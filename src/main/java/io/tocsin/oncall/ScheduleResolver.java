package io.tocsin.oncall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The final schedule: overrides over the highest layer that has someone over the lower layers. Shifts are cut to the
 * asked window and consecutive shifts of the same person are joined, so a shift boundary is always a handoff to
 * someone else or to no one.
 */
public final class ScheduleResolver {

    private ScheduleResolver() {
    }

    /** The final shifts overlapping [from, to), cut to it: sorted, no overlap, and no gap where any layer covers. */
    public static List<Shift> shifts(Schedule schedule, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return List.of();
        }
        List<List<Shift>> levels = new ArrayList<>();
        for (Layer layer : schedule.layers()) {
            levels.add(LayerRenderer.render(layer, schedule.zone(), from, to));
        }
        levels.add(overrides(schedule, from, to));
        TreeSet<Instant> cuts = new TreeSet<>();
        cuts.add(from);
        cuts.add(to);
        levels.forEach(level -> level.forEach(s -> {
            cuts.add(s.start());
            cuts.add(s.end());
        }));
        return combine(levels, new ArrayList<>(cuts));
    }

    /** Who is on call at {@code t}, if anyone. */
    public static Optional<String> onCallAt(Schedule schedule, Instant t) {
        return shifts(schedule, t, t.plusSeconds(1)).stream().findFirst().map(Shift::person);
    }

    /** {@code person}'s final shifts on any of {@code schedules} within [from, from + horizon), by start. */
    public static List<Shift> upcoming(Collection<Schedule> schedules, String person, Instant from, Duration horizon) {
        return schedules.stream()
                .flatMap(s -> shifts(s, from, from.plus(horizon)).stream())
                .filter(s -> s.person().equals(person))
                .sorted(java.util.Comparator.comparing(Shift::start))
                .toList();
    }

    private static List<Shift> overrides(Schedule schedule, Instant from, Instant to) {
        return schedule.overrides().stream()
                .filter(o -> o.start().isBefore(to) && o.end().isAfter(from) && o.start().isBefore(o.end()))
                .map(o -> new Shift(o.person(), LayerRenderer.max(o.start(), from), LayerRenderer.min(o.end(), to)))
                .sorted(java.util.Comparator.comparing(Shift::start))
                .toList();
    }

    /** For each elementary interval between cuts, the top level with a shift there; then equal neighbours joined. */
    private static List<Shift> combine(List<List<Shift>> levels, List<Instant> cuts) {
        int[] cursor = new int[levels.size()];
        List<Shift> out = new ArrayList<>();
        for (int c = 0; c + 1 < cuts.size(); c++) {
            Instant a = cuts.get(c);
            String person = null;
            for (int level = levels.size() - 1; level >= 0 && person == null; level--) {
                person = at(levels.get(level), cursor, level, a);
            }
            if (person != null) {
                append(out, new Shift(person, a, cuts.get(c + 1)));
            }
        }
        return out;
    }

    /** The person of the shift in {@code level} containing {@code t}; advances that level's cursor (t only grows). */
    private static String at(List<Shift> level, int[] cursor, int index, Instant t) {
        while (cursor[index] < level.size() && !level.get(cursor[index]).end().isAfter(t)) {
            cursor[index]++;
        }
        if (cursor[index] < level.size() && level.get(cursor[index]).contains(t)) {
            return level.get(cursor[index]).person();
        }
        return null;
    }

    private static void append(List<Shift> out, Shift next) {
        Shift last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last.person().equals(next.person()) && last.end().equals(next.start())) {
            out.set(out.size() - 1, new Shift(last.person(), last.start(), next.end()));
        } else {
            out.add(next);
        }
    }
}
