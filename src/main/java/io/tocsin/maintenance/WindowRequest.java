package io.tocsin.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.configuration.DurationConverter;
import io.tocsin.alert.Severity;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;

/**
 * A {@code create} request of the {@code maintenance} function read into a window: one-off ({@code start}/{@code end}
 * with offsets) or zoned ({@code time_zone}, local times, optional {@code rrule}); every problem named by its field.
 */
final class WindowRequest {

    static final int MAX_TEXT = 1024;
    /** The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia). */
    static final int MAX_ZONE_CHARS = 64;

    private final Duration maxDuration;

    WindowRequest(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    /** The window {@code input} asks for at {@code now}; null when {@code problems} got any. */
    MaintenanceWindow read(JsonNode input, Instant now, List<Problem> problems) {
        String rrule = Requests.optionalText(input, "rrule", Recurrence.MAX_RRULE_CHARS + "RRULE:".length(), problems);
        String zoneText = Requests.optionalText(input, "time_zone", MAX_ZONE_CHARS, problems);
        String reason = Requests.requiredText(input, "reason", MAX_TEXT, problems);
        String createdBy = Requests.optionalText(input, "created_by", 255, problems);
        Set<String> sources = strings(input, "sources", problems);
        Set<Severity> severities = new LinkedHashSet<>();
        for (String name : strings(input, "severities", problems)) {
            Severity.parse(name).ifPresentOrElse(severities::add, () -> problems.add(new Problem("severities",
                    "'" + name + "' is not one of " + Severity.allowed())));
        }
        return rrule == null && zoneText == null && !input.hasNonNull("time_zone")
                ? oneOff(input, reason, createdBy, sources, severities, now, problems)
                : zoned(input, rrule, zoneText, reason, createdBy, sources, severities, now, problems);
    }

    /** The original shape: {@code start} and {@code end} are ISO-8601 times with an offset. */
    private MaintenanceWindow oneOff(JsonNode input, String reason, String createdBy, Set<String> sources,
            Set<Severity> severities, Instant now, List<Problem> problems) {
        Instant start = Requests.requiredInstant(input, "start", problems);
        Instant end = Requests.requiredInstant(input, "end", problems);
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                problems.add(new Problem("end", "must be after start (" + start + ")"));
            } else if (end.isAfter(start.plus(maxDuration))) {
                problems.add(new Problem("end", tooLong()));
            } else if (!end.isAfter(now)) {
                problems.add(new Problem("end", "is in the past (" + now + ")"));
            }
        }
        return problems.isEmpty() ? new MaintenanceWindow(UUID.randomUUID().toString(), start, end, reason, createdBy,
                sources, severities) : null;
    }

    /**
     * A window in a time zone: {@code start} and {@code end} (or {@code duration}) are local times there (an offset,
     * if given, is converted), and with {@code rrule} they are the first occurrence (iCalendar's DTSTART/DTEND).
     */
    private MaintenanceWindow zoned(JsonNode input, String rrule, String zoneText, String reason, String createdBy,
            Set<String> sources, Set<Severity> severities, Instant now, List<Problem> problems) {
        ZoneId zone = zone(input, zoneText, problems);
        LocalDateTime start = local(input, "start", true, zone, problems);
        LocalDateTime end = local(input, "end", false, zone, problems);
        Duration length = length(input, start, end, problems);
        if (zone == null && rrule != null && start != null && length != null && !length.isZero() && !length.isNegative()) {
            try { // report a bad rule with the bad zone, read in UTC meanwhile
                Recurrence.parse(rrule, java.time.ZoneOffset.UTC, start, length);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("rrule", e.getMessage()));
            }
        }
        if (!problems.isEmpty() || zone == null || start == null || length == null) {
            return null;
        }
        String id = UUID.randomUUID().toString();
        if (rrule == null) {
            Instant from = ZonedDateTime.ofLocal(start, zone, null).withEarlierOffsetAtOverlap().toInstant();
            Instant to = ZonedDateTime.ofLocal(start.plus(length), zone, null).withLaterOffsetAtOverlap().toInstant();
            if (!to.isAfter(now)) {
                problems.add(new Problem("end", "is in the past (" + now + ")"));
                return null;
            }
            return new MaintenanceWindow(id, from, to, reason, createdBy, sources, severities);
        }
        Recurrence recurrence;
        try {
            recurrence = Recurrence.parse(rrule, zone, start, length);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("rrule", e.getMessage()));
            return null;
        }
        if (recurrence.next(now, 1).isEmpty()) {
            problems.add(new Problem("rrule", "has no occurrence after now (" + now + "): its UNTIL or COUNT is over"));
            return null;
        }
        Instant firstStart = recurrence.next(ZonedDateTime.ofLocal(start, zone, null).toInstant().minus(
                Duration.ofDays(1)), 1).get(0).start().toInstant();
        return new MaintenanceWindow(id, firstStart, recurrence.seriesEnd().orElse(null), reason, createdBy, sources,
                severities, recurrence);
    }

    /** The zone of a zoned window; null (with a problem) when missing or unknown. */
    private static ZoneId zone(JsonNode input, String zoneText, List<Problem> problems) {
        if (zoneText == null) {
            if (!input.hasNonNull("time_zone")) {
                problems.add(new Problem("time_zone", "is required with rrule: the IANA time zone its local times "
                        + "are in, such as Europe/Berlin or UTC"));
            }
            return null;
        }
        try {
            return ZoneId.of(zoneText);
        } catch (java.time.DateTimeException e) {
            problems.add(new Problem("time_zone", "must be an IANA time zone such as Europe/Berlin, "
                    + "America/New_York or UTC; got '" + zoneText + "'"));
            return null;
        }
    }

    /** A zoned window's length: {@code duration}, or from start to {@code end}; null (with a problem) when bad. */
    private Duration length(JsonNode input, LocalDateTime start, LocalDateTime end, List<Problem> problems) {
        Duration length = null;
        String durationText = Requests.optionalText(input, "duration", 32, problems);
        if (durationText != null) {
            try {
                length = DurationConverter.parseDuration(durationText);
            } catch (RuntimeException e) {
                problems.add(new Problem("duration", "must be a duration such as 30m, 2h or PT1H30M; got '"
                        + durationText + "'"));
            }
        }
        if (durationText != null && input.hasNonNull("end")) {
            problems.add(new Problem("duration", "give end or duration, not both"));
        } else if (durationText == null && !input.hasNonNull("end")) {
            problems.add(new Problem("end", "is required (or give duration)"));
        }
        if (start != null && end != null && length == null && durationText == null) {
            length = Duration.between(start, end);
        }
        String lengthField = durationText != null ? "duration" : "end";
        if (length != null && (length.isZero() || length.isNegative())) {
            problems.add(new Problem(lengthField, lengthField.equals("end") ? "must be after start (" + start + ")"
                    : "must be longer than zero"));
        } else if (length != null && length.compareTo(maxDuration) > 0) {
            problems.add(new Problem(lengthField, tooLong()));
        }
        return length;
    }

    private String tooLong() {
        return "a window may last at most " + maxDuration.toHours()
                + " hours (TOCSIN_MAINTENANCE_MAX_DURATION)";
    }

    /**
     * A local date-time ({@code 2026-12-06T02:00}) in the window's zone, or an ISO-8601 time with an offset, converted
     * to that zone; null (with a problem when required or unreadable) otherwise.
     */
    private static LocalDateTime local(JsonNode input, String field, boolean required, ZoneId zone,
            List<Problem> problems) {
        String text = required ? Requests.requiredText(input, field, 64, problems)
                : Requests.optionalText(input, field, 64, problems);
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).withNano(0);
        } catch (java.time.DateTimeException notLocal) {
            try {
                OffsetDateTime withOffset = OffsetDateTime.parse(text);
                return zone == null ? null : withOffset.atZoneSameInstant(zone).toLocalDateTime().withNano(0);
            } catch (java.time.DateTimeException e) {
                problems.add(new Problem(field, "must be a local date-time such as 2026-12-06T02:00 (read in "
                        + "time_zone) or an ISO-8601 time with an offset; got '" + text + "'"));
                return null;
            }
        }
    }

    private static Set<String> strings(JsonNode input, String field, List<Problem> problems) {
        Set<String> values = new LinkedHashSet<>();
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            problems.add(new Problem(field, "must be a list of strings"));
            return values;
        }
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isBlank()) {
                problems.add(new Problem(field, "must be a list of non-blank strings"));
                return values;
            }
            values.add(value.asText().trim());
        }
        return values;
    }
}
