package io.tocsin.oncall.ical;

import io.tocsin.oncall.Shift;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A schedule's or a person's final shifts as an RFC 5545 calendar ({@code text/calendar}): one VEVENT per shift, times
 * in UTC (RFC 5545 §3.3.5 form 2, so no VTIMEZONE is needed and calendar apps show local time themselves), a UID
 * stable for the same person and start, text escaped (§3.3.11) and lines folded at 75 octets (§3.1).
 */
public final class ICalendarFeed {

    /** RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break." */
    static final int MAX_LINE_OCTETS = 75;
    static final String CRLF = "\r\n";
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    public static final String MEDIA_TYPE = "text/calendar; charset=utf-8";

    private ICalendarFeed() {
    }

    /**
     * The calendar named {@code title} for {@code shifts} of feed {@code scope} (e.g. {@code schedule/primary} or
     * {@code person/ann}); {@code names} maps person ids to display names; {@code stamp} is the DTSTAMP (when the feed
     * was rendered).
     */
    public static String render(String scope, String title, List<Shift> shifts, Map<String, String> names,
            Instant stamp) {
        return render(title, shifts.stream().map(shift -> new Event(scope, shift,
                "On call: " + names.getOrDefault(shift.person(), shift.person()) + " (" + title + ")")).toList(), stamp);
    }

    /**
     * One event of a calendar: the shift, its summary, and the scope its UID is derived from (a person's feed names
     * each event's schedule in its scope, so that two schedules' shifts starting together stay two events).
     */
    public record Event(String scope, Shift shift, String summary) {
    }

    /** The calendar named {@code title} of {@code events}; {@code stamp} is the DTSTAMP. */
    public static String render(String title, List<Event> events, Instant stamp) {
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//Tocsin//On-call feed//EN");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "X-WR-CALNAME:" + escape(title));
        for (Event event : events) {
            line(out, "BEGIN:VEVENT");
            line(out, "UID:" + uid(event.scope(), event.shift()));
            line(out, "DTSTAMP:" + UTC.format(stamp));
            line(out, "DTSTART:" + UTC.format(event.shift().start()));
            line(out, "DTEND:" + UTC.format(event.shift().end()));
            line(out, "SUMMARY:" + escape(event.summary()));
            line(out, "TRANSP:TRANSPARENT");
            line(out, "END:VEVENT");
        }
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    /** Same scope, person and start, same UID: a re-rendered feed updates events instead of duplicating them. */
    static String uid(String scope, Shift shift) {
        String key = scope + "/" + shift.person() + "/" + shift.start().getEpochSecond();
        return java.util.UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)) + "@tocsin";
    }

    /** RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped, line breaks as \n. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /** Appends one content line, folded (CRLF and a space) so that no physical line exceeds 75 octets. */
    static void line(StringBuilder out, String content) {
        int octets = 0;
        int limit = MAX_LINE_OCTETS;
        for (int i = 0; i < content.length();) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append(CRLF).append(' ');
                octets = 0;
                limit = MAX_LINE_OCTETS - 1; // the leading space of a continuation line counts
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append(CRLF);
    }
}
