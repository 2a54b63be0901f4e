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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

/**
 * Every configuration value, parsed and checked once at start-up. A bad value stops start-up with a
 * {@link ConfigurationException} naming the environment variable; secrets are held as {@link Secret}.
 */
@Startup
@Singleton
public class Settings {

    /** PagerDuty Events API v2: routing_key is the 32-character integration key (api-schema events-v2 openapiv3.json). */
    public static final int PAGERDUTY_INTEGRATION_KEY_LENGTH = 32;

    public record PagerDuty(boolean enabled, Optional<Secret> integrationKey, Optional<Secret> apiKey,
            List<Secret> webhookSecrets) {
    }

    /**
     * The daily summary email.
     *
     * @param time when it is sent each day, in {@code zone}
     * @param zone the zone of {@code time} and of the date in the subject
     */
    public record SummaryEmail(boolean enabled, List<String> recipients, LocalTime time, ZoneId zone) {
    }

    private final Duration dedupWindow;
    private final Duration escalationTimeout;
    private final Optional<MaintenanceMode> environmentMaintenance;
    private final PagerDuty pagerDuty;
    private final SummaryEmail summaryEmail;
    private final Optional<URI> dashboardUrl;
    private final TocsinConfig tocsin;
    private final java.util.Set<io.tocsin.alert.Severity> escalatingSeverities;

    public Settings(AlertConfig alert, MaintenanceModeConfig maintenance, PagerDutyConfig pagerDuty, TocsinConfig tocsin) {
        this.dedupWindow = Duration.ofSeconds(positiveLong("ALERT_DEDUP_WINDOW", alert.dedupWindow(), "seconds"));
        this.escalationTimeout = Duration.ofMinutes(
                positiveLong("ALERT_ESCALATION_TIMEOUT", alert.escalationTimeout(), "minutes"));
        this.environmentMaintenance = maintenanceWindow(maintenance);
        this.pagerDuty = pagerDuty(pagerDuty);
        this.summaryEmail = summaryEmail(alert.summaryEmail(), tocsin.summary());
        this.dashboardUrl = tocsin.dashboardUrl().map(String::trim).filter(s -> !s.isEmpty())
                .map(Settings::dashboardUrl);
        this.tocsin = tocsin;
        this.escalatingSeverities = escalatingSeverities(tocsin.escalateSeverities());
        this.ackTimeouts = ackTimeouts(tocsin.ackTimeout().orElse(""));
    }

    private final java.util.Map<io.tocsin.alert.Severity, Duration> ackTimeouts;

    /** How long an acknowledgment of an incident of {@code severity} holds before it pages again; empty when never. */
    public Optional<Duration> ackTimeout(io.tocsin.alert.Severity severity) {
        return Optional.ofNullable(ackTimeouts.get(severity));
    }

    /** The shortest acknowledgment timeout of any severity: when the sweep first looks at an acknowledged incident. */
    public Optional<Duration> shortestAckTimeout() {
        return ackTimeouts.values().stream().min(Duration::compareTo);
    }

    static java.util.Map<io.tocsin.alert.Severity, Duration> ackTimeouts(String text) {
        java.util.Map<io.tocsin.alert.Severity, Duration> timeouts = new java.util.EnumMap<>(io.tocsin.alert.Severity.class);
        if (text.isBlank()) {
            return timeouts;
        }
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=", 2);
            Duration timeout = duration("TOCSIN_ACK_TIMEOUT", pair[pair.length - 1].trim());
            if (pair.length == 1) {
                for (io.tocsin.alert.Severity severity : io.tocsin.alert.Severity.values()) {
                    timeouts.put(severity, timeout);
                }
            } else {
                timeouts.put(io.tocsin.alert.Severity.parse(pair[0].trim()).orElseThrow(() -> new ConfigurationException(
                        "TOCSIN_ACK_TIMEOUT", "'" + pair[0].trim() + "' is not one of "
                                + io.tocsin.alert.Severity.allowed())), timeout);
            }
        }
        return timeouts;
    }

    /** A positive duration such as {@code 30m}, {@code 2h}, {@code 90s} (or ISO-8601 {@code PT30M}). */
    static Duration duration(String variable, String text) {
        try {
            Duration parsed = text.toUpperCase(Locale.ROOT).startsWith("P") ? Duration.parse(text)
                    : Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
            if (parsed.isNegative() || parsed.isZero()) {
                throw new ConfigurationException(variable, "must be a positive duration, got " + text);
            }
            return parsed;
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigurationException(variable, "'" + text + "' is not a duration such as 30m, 2h or 90s");
        }
    }

    /** The severities whose unacknowledged incidents escalate. */
    public java.util.Set<io.tocsin.alert.Severity> escalatingSeverities() {
        return escalatingSeverities;
    }

    private static java.util.Set<io.tocsin.alert.Severity> escalatingSeverities(java.util.Set<String> names) {
        java.util.Set<io.tocsin.alert.Severity> severities = java.util.EnumSet.noneOf(io.tocsin.alert.Severity.class);
        for (String name : names) {
            severities.add(io.tocsin.alert.Severity.parse(name).orElseThrow(() -> new ConfigurationException(
                    "TOCSIN_ESCALATE_SEVERITIES", "'" + name + "' is not one of " + io.tocsin.alert.Severity.allowed())));
        }
        return severities;
    }

    public Duration dedupWindow() {
        return dedupWindow;
    }

    public Duration escalationTimeout() {
        return escalationTimeout;
    }

    /** {@code MAINTENANCE_MODE/START/END}, present only when the mode is on. */
    public Optional<MaintenanceMode> environmentMaintenance() {
        return environmentMaintenance;
    }

    public PagerDuty pagerDuty() {
        return pagerDuty;
    }

    public SummaryEmail summaryEmail() {
        return summaryEmail;
    }

    /** {@code TOCSIN_DASHBOARD_URL}: where the dashboard is, for links to incidents; empty when not configured. */
    public Optional<URI> dashboardUrl() {
        return dashboardUrl;
    }

    public String tableName() {
        return tocsin.tableName();
    }

    public TocsinConfig.Ingest ingest() {
        return tocsin.ingest();
    }

    public TocsinConfig.Sweep sweep() {
        return tocsin.sweep();
    }

    public TocsinConfig.Delivery delivery() {
        return tocsin.delivery();
    }

    static long positiveLong(String variable, String value, String unit) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed <= 0) {
                throw new ConfigurationException(variable, "must be a positive number of " + unit + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(variable, "must be a whole number of " + unit + ", got '" + value + "'");
        }
    }

    static boolean bool(String variable, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(variable, "must be true or false, got '" + value + "'");
        };
    }

    static Instant instant(String variable, String value) {
        String text = value.trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw new ConfigurationException(variable,
                        "must be an ISO-8601 instant such as 2026-11-27T02:00:00Z, got '" + value + "'");
            }
        }
    }

    private static Optional<MaintenanceMode> maintenanceWindow(MaintenanceModeConfig config) {
        boolean on = bool("MAINTENANCE_MODE", config.mode());
        Instant start = config.start().filter(s -> !s.isBlank()).map(s -> instant("MAINTENANCE_START", s)).orElse(null);
        Instant end = config.end().filter(s -> !s.isBlank()).map(s -> instant("MAINTENANCE_END", s)).orElse(null);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new ConfigurationException("MAINTENANCE_END", "must be after MAINTENANCE_START (" + start + "), got " + end);
        }
        if (!on) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceMode(start, end));
    }

    private static PagerDuty pagerDuty(PagerDutyConfig config) {
        Optional<Secret> key = config.integrationKey().map(String::trim).filter(s -> !s.isEmpty()).map(Secret::new);
        Optional<Secret> apiKey = config.apiKey().map(String::trim).filter(s -> !s.isEmpty()).map(Secret::new);
        boolean keyInSecret = key.isEmpty() && config.integrationKeySecretName().filter(s -> !s.isBlank()).isPresent();
        boolean enabled = config.enabled().filter(s -> !s.isBlank())
                .map(s -> bool("PAGERDUTY_ENABLED", s))
                .orElse(key.isPresent() || keyInSecret);
        if (enabled && key.isEmpty() && !keyInSecret) {
            throw new ConfigurationException("PAGERDUTY_INTEGRATION_KEY",
                    "is required when PAGERDUTY_ENABLED is true (or PAGERDUTY_INTEGRATION_KEY_SECRET_NAME)");
        }
        if (key.isPresent() && key.get().value().length() != PAGERDUTY_INTEGRATION_KEY_LENGTH) {
            throw new ConfigurationException("PAGERDUTY_INTEGRATION_KEY", "must be the "
                    + PAGERDUTY_INTEGRATION_KEY_LENGTH + "-character integration key of an Events API v2 integration, got "
                    + key.get().value().length() + " characters");
        }
        List<Secret> webhookSecrets = config.webhookSecret()
                .map(v -> List.of(v.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty()).map(Secret::new)
                        .toList())
                .orElse(List.of());
        return new PagerDuty(enabled, key, apiKey, webhookSecrets);
    }

    private static SummaryEmail summaryEmail(AlertConfig.SummaryEmail config, TocsinConfig.Summary summary) {
        boolean enabled = bool("ALERT_SUMMARY_EMAIL_ENABLED", config.enabled());
        List<String> recipients = config.recipients()
                .map(s -> List.of(s.split(",")).stream().map(String::trim).filter(r -> !r.isEmpty()).toList())
                .orElse(List.of());
        for (String recipient : recipients) {
            if (!recipient.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new ConfigurationException("ALERT_SUMMARY_EMAIL_RECIPIENTS",
                        "'" + recipient + "' is not an email address");
            }
        }
        if (enabled && recipients.isEmpty()) {
            throw new ConfigurationException("ALERT_SUMMARY_EMAIL_RECIPIENTS",
                    "is required when ALERT_SUMMARY_EMAIL_ENABLED is true");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(summary.zone().trim());
        } catch (DateTimeException e) {
            throw new ConfigurationException("TOCSIN_SUMMARY_ZONE",
                    "must be a time zone such as UTC or Europe/Paris, got '" + summary.zone() + "'");
        }
        LocalTime time;
        try {
            // STRICT: two digits each, hours 00-23 (SMART would read 24:00 as midnight)
            time = LocalTime.parse(config.time().trim(), SUMMARY_TIME);
        } catch (DateTimeException e) {
            throw new ConfigurationException("ALERT_SUMMARY_EMAIL_TIME",
                    "must be HH:MM from 00:00 to 23:59 (in TOCSIN_SUMMARY_ZONE, " + zone + "), got '" + config.time()
                            + "'");
        }
        return new SummaryEmail(enabled, recipients, time, zone);
    }

    private static final DateTimeFormatter SUMMARY_TIME = DateTimeFormatter.ofPattern("HH:mm")
            .withResolverStyle(ResolverStyle.STRICT);

    private static URI dashboardUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("TOCSIN_DASHBOARD_URL", "is not a URL: '" + value + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new ConfigurationException("TOCSIN_DASHBOARD_URL",
                    "must be an absolute http(s) URL such as https://tocsin.example.com/dashboard, got '" + value + "'");
        }
        if (uri.getRawFragment() != null) {
            throw new ConfigurationException("TOCSIN_DASHBOARD_URL",
                    "must not have a #fragment (each incident's link adds #incident-<id>), got '" + value + "'");
        }
        return uri;
    }
}
