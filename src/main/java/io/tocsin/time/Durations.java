package io.tocsin.time;

import java.time.Duration;

/** Durations as people read them, one format for every page and email Tocsin makes. */
public final class Durations {

    private Durations() {
    }

    /** {@code < 1 min}, {@code 42 min}, {@code 3 h 05 min}, {@code 2 d 4 h} (negative counts as zero). */
    public static String human(Duration duration) {
        long minutes = Math.max(0, duration.toMinutes());
        if (minutes < 1) {
            return "< 1 min";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 24 * 60) {
            return minutes / 60 + " h " + String.format("%02d", minutes % 60) + " min";
        }
        return minutes / (24 * 60) + " d " + minutes % (24 * 60) / 60 + " h";
    }
}
