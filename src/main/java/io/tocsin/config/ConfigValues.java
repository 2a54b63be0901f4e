package io.tocsin.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.quarkus.runtime.configuration.DurationConverter;
import io.tocsin.alert.Severity;

/**
 * The parsers of configuration values: text in, a typed value out, or an {@link IllegalArgumentException} saying
 * what is wrong (never showing a secret). Each {@link Variable} names one of these; {@link ConfigurationCheck} and
 * {@link Settings} both go through the variable, so a value is read one way only.
 */
final class ConfigValues {

    /** DynamoDB table names: 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.' (DynamoDB developer guide, naming rules). */
    static final String TABLE_NAME = "[A-Za-z0-9_.-]{3,255}";
    /** Secrets Manager secret names: 1 to 512 of letters, digits and /_+=.@- (Secrets Manager API, CreateSecret Name). */
    static final String SECRET_NAME = "[A-Za-z0-9/_+=.@-]{1,512}";
    /** An HTTP header name (RFC 9110 token, restricted to what Grafana's form accepts). */
    static final String HEADER_NAME = "[A-Za-z0-9-]{1,128}";
    static final String EMAIL = "[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+";

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm")
            .withResolverStyle(ResolverStyle.STRICT);

    private ConfigValues() {
    }

    /**
     * The one duration parser: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, a bare number of
     * seconds, or ISO-8601 ({@code PT5M}, {@code P1D}). The syntax is Quarkus's {@link DurationConverter}, the very
     * converter of the {@code Duration}-typed mappings (TocsinConfig, HeartbeatConfig, ...), so a form accepted here is
     * accepted there; this adds that the duration be positive.
     */
    static Duration duration(String text) {
        Duration parsed;
        try {
            parsed = DurationConverter.parseDuration(text.trim());
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException("must be a positive duration such as 250ms, 30s, 5m, 2h, 7d or PT5M, got '"
                    + text + "'");
        }
        return parsed;
    }

    /**
     * {@code TOCSIN_RETENTION}: {@link #duration}, or zero ({@code 0}, {@code 0d}): keep closed incidents for ever
     * (the minimum is a rule of {@link Settings}, so that this reads every documented form as the other durations do).
     */
    static Duration retention(String text) {
        Duration parsed;
        try {
            parsed = DurationConverter.parseDuration(text.trim());
        } catch (RuntimeException e) {
            parsed = null;
        }
        return parsed != null && parsed.isZero() ? Duration.ZERO : duration(text);
    }

    /** {@code 30m} for every severity, or {@code critical=1d,high=250ms}: each duration read by {@link #duration}. */
    static Map<Severity, Duration> ackTimeouts(String text) {
        Map<Severity, Duration> timeouts = new EnumMap<>(Severity.class);
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=", 2);
            Duration timeout = duration(pair[pair.length - 1]);
            if (pair.length == 1) {
                Arrays.stream(Severity.values()).forEach(s -> timeouts.put(s, timeout));
            } else {
                timeouts.put(severity(pair[0]), timeout);
            }
        }
        return timeouts;
    }

    /** A whole, positive number of {@code unit}, as a duration (the original design's seconds and minutes). */
    static Function<String, Duration> whole(java.time.temporal.ChronoUnit unit) {
        String name = unit.toString().toLowerCase(Locale.ROOT);
        return v -> {
            long parsed;
            try {
                parsed = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number of " + name + ", got '" + v + "'");
            }
            if (parsed <= 0) {
                throw new IllegalArgumentException("must be a positive number of " + name + ", got " + v);
            }
            return Duration.of(parsed, unit);
        };
    }

    static int positiveInt(String v) {
        try {
            int parsed = Integer.parseInt(v.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("must be a positive whole number, got '" + v + "'");
    }

    static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + v + "'");
        };
    }

    static double number(String v) {
        try {
            double parsed = Double.parseDouble(v.trim());
            if (Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("must be a number such as 0.9, got '" + v + "'");
    }

    /** An ISO-8601 instant; an offset is normalised to UTC. */
    static Instant instant(String value) {
        String text = value.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("must be an ISO-8601 instant such as 2026-11-27T02:00:00Z, got '"
                        + value + "'");
            }
        }
    }

    /** {@code HH:MM}, two digits each, 00:00 to 23:59 (STRICT: 24:00 is refused, not read as midnight). */
    static LocalTime timeOfDay(String v) {
        try {
            return LocalTime.parse(v.trim(), HH_MM);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("must be HH:MM from 00:00 to 23:59, got '" + v + "'");
        }
    }

    static ZoneId zone(String v) {
        try {
            return ZoneId.of(v.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("must be a time zone such as UTC or Europe/Paris, got '" + v + "'");
        }
    }

    /** An absolute http(s) URL without a fragment (each incident's link adds {@code ?incident=<id>}, the dashboard's incident page). */
    static URI dashboardUrl(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: '" + value + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "must be an absolute http(s) URL such as https://tocsin.example.com/dashboard, got '" + value + "'");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "must not have a #fragment (each incident's link adds ?incident=<id>), got '" + value + "'");
        }
        return uri;
    }

    static Severity severity(String name) {
        return Severity.parse(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                "'" + name.trim() + "' is not one of " + Severity.allowed()));
    }

    /** One or more severities, comma-separated. */
    static Set<Severity> severities(String v) {
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        for (String part : v.split(",")) {
            severities.add(severity(part));
        }
        return severities;
    }

    /** Addresses, comma-separated; empty parts are skipped. */
    static List<String> emails(String v) {
        List<String> addresses = list(v);
        for (String address : addresses) {
            if (!address.matches(EMAIL)) {
                throw new IllegalArgumentException("'" + address + "' is not an email address");
            }
        }
        return addresses;
    }

    /** One or more secrets, comma-separated (while rotating); the message never shows the value. */
    static List<Secret> secrets(String v) {
        List<String> parts = Arrays.stream(v.split(",")).map(String::trim).toList();
        if (parts.stream().anyMatch(p -> p.isEmpty() || !printable(p))) {
            throw new IllegalArgumentException("must be one or more secrets, comma-separated, each without spaces"
                    + " or control characters");
        }
        return parts.stream().map(Secret::new).toList();
    }

    /** A single secret such as an API key; the message never shows the value. */
    static Function<String, Secret> token(String what) {
        return v -> {
            if (!printable(v.trim())) {
                throw new IllegalArgumentException("must be " + what + ", without spaces or control characters");
            }
            return new Secret(v.trim());
        };
    }

    /** PagerDuty Events API v2: routing_key is the 32-character integration key (events-v2 openapiv3.json). */
    static Secret integrationKey(String v) {
        if (v.trim().length() != Settings.PAGERDUTY_INTEGRATION_KEY_LENGTH) {
            throw new IllegalArgumentException("must be the " + Settings.PAGERDUTY_INTEGRATION_KEY_LENGTH
                    + "-character integration key of an Events API v2 integration, got " + v.trim().length()
                    + " characters");
        }
        return new Secret(v.trim());
    }

    /** Text matching {@code pattern}; {@code what} says what it must be. */
    static Function<String, String> matching(String pattern, String what) {
        return v -> {
            if (!v.trim().matches(pattern)) {
                throw new IllegalArgumentException("must be " + what + ", got '" + v + "'");
            }
            return v.trim();
        };
    }

    /** One of {@code allowed}, case-insensitive, lower-cased. */
    static Function<String, String> oneOf(Set<String> allowed) {
        return v -> {
            String value = v.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException("'" + v.trim() + "' is not one of " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
            return value;
        };
    }

    static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean printable(String text) {
        return text.chars().allMatch(c -> c > ' ' && c < 127);
    }
}
