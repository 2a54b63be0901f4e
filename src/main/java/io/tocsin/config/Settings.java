package io.tocsin.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.tocsin.alert.Severity;

/**
 * Every configuration value the code reads as a typed value, parsed at start-up by the {@link Variable}'s one parser
 * (the same that {@link ConfigurationCheck} refuses a bad value with), plus the rules that join two variables. A bad
 * value stops start-up with a {@link ConfigurationException} naming the environment variable.
 */
@Startup
@Singleton
public class Settings {

    /** PagerDuty Events API v2: routing_key is the 32-character integration key (api-schema events-v2 openapiv3.json). */
    public static final int PAGERDUTY_INTEGRATION_KEY_LENGTH = 32;

    /**
     * Whether PagerDuty is on. The keys themselves are read where they are used ({@link SecretStore}: a value or a
     * Secrets Manager secret), never held here.
     */
    public record PagerDuty(boolean enabled) {
    }

    /**
     * The daily summary email.
     *
     * @param time when it is sent each day, in {@code zone}
     * @param zone the zone of {@code time} and of the date in the subject
     */
    public record SummaryEmail(boolean enabled, List<String> recipients, LocalTime time, ZoneId zone) {
    }

    /**
     * The shortest {@code TOCSIN_RETENTION}: longer than a dedup claim can outlive its last alert (30 days,
     * {@code DedupStore.CLAIM_RETENTION}) plus DynamoDB's deletion delay (up to about 48 h, DynamoDB developer guide,
     * "Working with Time to Live"), so that no claim still names an incident that is gone; and far longer than the
     * rollups may wait to fold a closure ({@code Rollups.STALE}, about a day), so every closure is folded first.
     */
    public static final Duration MIN_RETENTION = Duration.ofDays(32);

    private final Duration dedupWindow;
    private final Duration escalationTimeout;
    private final Optional<MaintenanceMode> environmentMaintenance;
    private final PagerDuty pagerDuty;
    private final SummaryEmail summaryEmail;
    private final Optional<URI> dashboardUrl;
    private final TocsinConfig tocsin;
    private final Set<Severity> escalatingSeverities;
    private final Map<Severity, Duration> ackTimeouts;
    private final Optional<Duration> retention;

    public Settings(AlertConfig alert, MaintenanceModeConfig maintenance, PagerDutyConfig pagerDuty, TocsinConfig tocsin) {
        this.dedupWindow = Variable.ALERT_DEDUP_WINDOW.parse(alert.dedupWindow());
        this.escalationTimeout = Variable.ALERT_ESCALATION_TIMEOUT.parse(alert.escalationTimeout());
        this.environmentMaintenance = maintenanceWindow(maintenance);
        this.pagerDuty = pagerDuty(pagerDuty);
        this.summaryEmail = summaryEmail(alert.summaryEmail(), tocsin.summary());
        this.dashboardUrl = Variable.TOCSIN_DASHBOARD_URL.parse(tocsin.dashboardUrl());
        this.tocsin = tocsin;
        this.escalatingSeverities = tocsin.escalateSeverities().isEmpty() ? EnumSet.noneOf(Severity.class)
                : Variable.TOCSIN_ESCALATE_SEVERITIES.parse(String.join(",", tocsin.escalateSeverities()));
        this.ackTimeouts = Variable.TOCSIN_ACK_TIMEOUT.parse(tocsin.ackTimeout()).orElse(Map.of());
        this.retention = retention(tocsin.retention());
    }

    /**
     * {@code TOCSIN_RETENTION}: how long a closed incident is kept after it closed; empty when kept for ever
     * ({@code 0}).
     */
    public Optional<Duration> retention() {
        return retention;
    }

    /**
     * The time-to-live attribute's value (epoch seconds) of an incident closed at {@code closedAt}; empty when closed
     * incidents are kept for ever. An open incident has none.
     */
    public Optional<Long> expiresAt(Instant closedAt) {
        return retention.map(r -> closedAt.plus(r).getEpochSecond());
    }

    private static Optional<Duration> retention(Duration retention) {
        if (retention.isZero()) {
            return Optional.empty();
        }
        if (retention.compareTo(MIN_RETENTION) < 0) {
            throw new ConfigurationException(Variable.TOCSIN_RETENTION.env(), "must be 0 (keep closed incidents) or at "
                    + "least " + MIN_RETENTION.toDays() + "d (a dedup claim may name an incident for 30 days after "
                    + "its last alert), got " + retention);
        }
        return Optional.of(retention);
    }

    /** How long an acknowledgment of an incident of {@code severity} holds before it pages again; empty when never. */
    public Optional<Duration> ackTimeout(Severity severity) {
        return Optional.ofNullable(ackTimeouts.get(severity));
    }

    /** The shortest acknowledgment timeout of any severity: when the sweep first looks at an acknowledged incident. */
    public Optional<Duration> shortestAckTimeout() {
        return ackTimeouts.values().stream().min(Duration::compareTo);
    }

    /** The severities whose unacknowledged incidents escalate. */
    public Set<Severity> escalatingSeverities() {
        return escalatingSeverities;
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

    private static Optional<MaintenanceMode> maintenanceWindow(MaintenanceModeConfig config) {
        boolean on = Variable.MAINTENANCE_MODE.parse(config.mode());
        Instant start = Variable.MAINTENANCE_START.parse(config.start()).orElse(null);
        Instant end = Variable.MAINTENANCE_END.parse(config.end()).orElse(null);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new ConfigurationException("MAINTENANCE_END", "must be after MAINTENANCE_START (" + start + "), got " + end);
        }
        return on ? Optional.of(new MaintenanceMode(start, end)) : Optional.empty();
    }

    private static PagerDuty pagerDuty(PagerDutyConfig config) {
        boolean key = Variable.PAGERDUTY_INTEGRATION_KEY.parse(config.integrationKey()).isPresent()
                || Variable.PAGERDUTY_INTEGRATION_KEY_SECRET_NAME.parse(config.integrationKeySecretName()).isPresent();
        boolean enabled = Variable.PAGERDUTY_ENABLED.parse(config.enabled()).orElse(key);
        if (enabled && !key) {
            throw new ConfigurationException("PAGERDUTY_INTEGRATION_KEY",
                    "is required when PAGERDUTY_ENABLED is true (or PAGERDUTY_INTEGRATION_KEY_SECRET_NAME)");
        }
        return new PagerDuty(enabled);
    }

    private static SummaryEmail summaryEmail(AlertConfig.SummaryEmail config, TocsinConfig.Summary summary) {
        boolean enabled = Variable.ALERT_SUMMARY_EMAIL_ENABLED.parse(config.enabled());
        List<String> recipients = Variable.ALERT_SUMMARY_EMAIL_RECIPIENTS.parse(config.recipients()).orElse(List.of());
        if (enabled && recipients.isEmpty()) {
            throw new ConfigurationException("ALERT_SUMMARY_EMAIL_RECIPIENTS",
                    "is required when ALERT_SUMMARY_EMAIL_ENABLED is true");
        }
        ZoneId zone = Variable.TOCSIN_SUMMARY_ZONE.parse(summary.zone());
        LocalTime time = Variable.ALERT_SUMMARY_EMAIL_TIME.parse(config.time());
        return new SummaryEmail(enabled, recipients, time, zone);
    }
}
