package io.tocsin.oncall;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One layer's turns between two instants, cut to its restriction windows: sorted, not overlapping. */
final class LayerRenderer {

    private LayerRenderer() {
    }

    static List<Shift> render(Layer layer, ZoneId scheduleZone, Instant from, Instant to) {
        ZoneId zone = layer.zoneOr(scheduleZone);
        Instant begin = max(from, layer.coverageStart(scheduleZone));
        Instant end = layer.until() == null ? to : min(to, layer.until());
        if (!begin.isBefore(end)) {
            return List.of();
        }
        List<Shift> turns = turns(layer, zone, begin, end);
        if (layer.restrictions().isEmpty()) {
            return turns;
        }
        return intersect(turns, windows(layer, zone, begin, end));
    }

    private static List<Shift> turns(Layer layer, ZoneId zone, Instant begin, Instant end) {
        List<Shift> turns = new ArrayList<>();
        long k = layer.turn().turnAt(layer.start(), zone, begin);
        Instant start = layer.turn().handoff(layer.start(), zone, k);
        while (start.isBefore(end)) {
            Instant next = layer.turn().handoff(layer.start(), zone, k + 1);
            turns.add(new Shift(layer.member(k), max(start, begin), min(next, end)));
            k++;
            start = next;
        }
        return turns;
    }

    /** Open windows of all restrictions within [begin, end), merged where they touch or overlap. */
    private static List<Instant[]> windows(Layer layer, ZoneId zone, Instant begin, Instant end) {
        List<Instant[]> raw = new ArrayList<>();
        // a window may open up to 7 days (Restriction.MAX_LENGTH) before it still covers begin
        LocalDate first = begin.atZone(zone).toLocalDate().minusDays(8);
        LocalDate last = end.atZone(zone).toLocalDate().plusDays(1);
        for (Restriction r : layer.restrictions()) {
            r.windows(zone, first, last, raw);
        }
        raw.sort(Comparator.comparing((Instant[] w) -> w[0]));
        List<Instant[]> merged = new ArrayList<>();
        for (Instant[] w : raw) {
            Instant open = max(w[0], begin);
            Instant close = min(w[1], end);
            if (!open.isBefore(close)) {
                continue;
            }
            Instant[] previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (previous != null && !open.isAfter(previous[1])) {
                previous[1] = max(previous[1], close);
            } else {
                merged.add(new Instant[] {open, close});
            }
        }
        return merged;
    }

    private static List<Shift> intersect(List<Shift> turns, List<Instant[]> windows) {
        List<Shift> out = new ArrayList<>();
        int w = 0;
        for (Shift turn : turns) {
            while (w < windows.size() && !windows.get(w)[1].isAfter(turn.start())) {
                w++;
            }
            for (int i = w; i < windows.size() && windows.get(i)[0].isBefore(turn.end()); i++) {
                Instant s = max(turn.start(), windows.get(i)[0]);
                Instant e = min(turn.end(), windows.get(i)[1]);
                if (s.isBefore(e)) {
                    out.add(new Shift(turn.person(), s, e));
                }
            }
        }
        return out;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
