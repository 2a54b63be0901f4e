package io.tocsin.oncall.document;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one JSON object, recording a {@link Problem} for each bad or missing one (with its path) and
 * returning null for it, so that reading goes on and every problem is named at once.
 */
final class Fields {

    private final JsonNode node;
    private final String path;
    private final List<Problem> problems;

    Fields(JsonNode node, String path, List<Problem> problems, Set<String> allowed) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        if (!node.isObject()) {
            problems.add(new Problem(path, "must be an object"));
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(new Problem(path + "." + name, "unknown field (allowed: " + String.join(", ",
                        new java.util.TreeSet<>(allowed)) + ")"));
            }
        }
    }

    String at(String field) {
        return path + "." + field;
    }

    List<Problem> problems() {
        return problems;
    }

    void problem(String field, String message) {
        problems.add(new Problem(at(field), message));
    }

    boolean has(String field) {
        return node.isObject() && node.hasNonNull(field);
    }

    String text(String field, boolean required) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || value.isNull()) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problem(field, "must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    <T> T parsed(String field, boolean required, String expected, Function<String, T> parser) {
        String text = text(field, required);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            problem(field, "'" + text + "' is not " + expected);
            return null;
        }
    }

    ZoneId zone(String field, boolean required) {
        return parsed(field, required, "an IANA time zone such as Europe/Berlin", text -> {
            if (!ZoneId.getAvailableZoneIds().contains(text)) {
                throw new DateTimeException("not an IANA region id: " + text); // fixed offsets such as +05:00 too
            }
            return ZoneId.of(text);
        });
    }

    Instant instant(String field, boolean required) {
        return parsed(field, required, "an instant such as 2026-03-08T09:00:00Z",
                t -> java.time.OffsetDateTime.parse(t).toInstant());
    }

    LocalDateTime localDateTime(String field, boolean required) {
        return parsed(field, required, "a local date-time such as 2026-01-05T09:00", LocalDateTime::parse);
    }

    LocalTime localTime(String field, boolean required) {
        return parsed(field, required, "a local time such as 09:00", LocalTime::parse);
    }

    Duration duration(String field, boolean required) {
        Duration d = parsed(field, required, "an ISO-8601 duration such as PT10M", Duration::parse);
        if (d != null && d.isNegative()) {
            problem(field, "must not be negative");
            return null;
        }
        return d;
    }

    boolean bool(String field) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value != null && !value.isNull() && !value.isBoolean()) {
            problem(field, "must be true or false");
        }
        return value != null && value.asBoolean(false);
    }

    Integer integer(String field, int min, int max) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isInt() || value.asInt() < min || value.asInt() > max) {
            problem(field, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return value.asInt();
    }

    /** The elements of an array field with their paths; a missing optional array is empty. */
    List<Element> array(String field, boolean required) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        List<Element> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (required) {
                problem(field, "is required");
            }
            return out;
        }
        if (!value.isArray()) {
            problem(field, "must be an array");
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            out.add(new Element(value.get(i), at(field) + "[" + i + "]"));
        }
        return out;
    }

    JsonNode node(String field) {
        return node.isObject() ? node.get(field) : null;
    }

    /** An array element and its path. */
    record Element(JsonNode node, String path) {

        Fields fields(List<Problem> problems, Set<String> allowed) {
            return new Fields(node, path, problems, allowed);
        }

        String text(List<Problem> problems) {
            if (!node.isTextual() || node.asText().isBlank()) {
                problems.add(new Problem(path, "must be a non-empty string"));
                return null;
            }
            return node.asText();
        }
    }
}
