package io.tocsin.oncall.feed;

import java.util.Locale;
import java.util.Objects;

/** What a feed URL shows: one schedule's final shifts, or one person's shifts on every schedule. */
public record FeedScope(Kind kind, String ref) {

    /** The two kinds of feed; the stored and wire name is the lower-case name. */
    public enum Kind {
        SCHEDULE, PERSON;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code text} (lower case), or null. */
        public static Kind of(String text) {
            for (Kind kind : values()) {
                if (kind.wire().equals(text)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public FeedScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ref, "ref");
    }

    /** {@code schedule/<id>} or {@code person/<id>}: the calendar's event UIDs are derived from it. */
    public String path() {
        return kind.wire() + "/" + ref;
    }
}
