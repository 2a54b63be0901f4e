package io.tocsin.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tocsin.alert.AlertRule;
import io.tocsin.alert.Severity;

/**
 * A configuration variable of README "Configuration": its environment name, its property, and the one parser that
 * turns its text into its typed value. {@link ConfigurationCheck} parses every value as it is read (and refuses a bad
 * one naming the variable); {@link Settings} gets its typed values from the same {@link #parse}.
 *
 * @param <T> the variable's typed value
 */
public final class Variable<T> {

    private static final List<Variable<?>> ALL = new ArrayList<>();

    public static final Variable<Boolean> PAGERDUTY_ENABLED = of("PAGERDUTY_ENABLED", "pagerduty.enabled",
            ConfigValues::bool);
    public static final Variable<Secret> PAGERDUTY_INTEGRATION_KEY = of("PAGERDUTY_INTEGRATION_KEY",
            "pagerduty.integration-key", ConfigValues::integrationKey);
    public static final Variable<Secret> PAGERDUTY_API_KEY = of("PAGERDUTY_API_KEY", "pagerduty.api-key",
            ConfigValues.token("the REST API key"));
    public static final Variable<List<Secret>> PAGERDUTY_WEBHOOK_SECRET = of("PAGERDUTY_WEBHOOK_SECRET",
            "pagerduty.webhook-secret", ConfigValues::secrets);
    public static final Variable<String> PAGERDUTY_INTEGRATION_KEY_SECRET_NAME = secretName(
            "PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "pagerduty.integration-key-secret-name");
    public static final Variable<String> PAGERDUTY_API_KEY_SECRET_NAME = secretName("PAGERDUTY_API_KEY_SECRET_NAME",
            "pagerduty.api-key-secret-name");
    public static final Variable<String> PAGERDUTY_WEBHOOK_SECRET_NAME = secretName("PAGERDUTY_WEBHOOK_SECRET_NAME",
            "pagerduty.webhook-secret-name");
    public static final Variable<Duration> ALERT_DEDUP_WINDOW = of("ALERT_DEDUP_WINDOW", "alert.dedup-window",
            ConfigValues.whole(ChronoUnit.SECONDS));
    public static final Variable<Duration> ALERT_ESCALATION_TIMEOUT = of("ALERT_ESCALATION_TIMEOUT",
            "alert.escalation-timeout", ConfigValues.whole(ChronoUnit.MINUTES));
    public static final Variable<Boolean> MAINTENANCE_MODE = of("MAINTENANCE_MODE", "maintenance.mode",
            ConfigValues::bool);
    public static final Variable<Instant> MAINTENANCE_START = of("MAINTENANCE_START", "maintenance.start",
            ConfigValues::instant);
    public static final Variable<Instant> MAINTENANCE_END = of("MAINTENANCE_END", "maintenance.end",
            ConfigValues::instant);
    public static final Variable<Boolean> ALERT_SUMMARY_EMAIL_ENABLED = of("ALERT_SUMMARY_EMAIL_ENABLED",
            "alert.summary-email.enabled", ConfigValues::bool);
    public static final Variable<List<String>> ALERT_SUMMARY_EMAIL_RECIPIENTS = of("ALERT_SUMMARY_EMAIL_RECIPIENTS",
            "alert.summary-email.recipients", ConfigValues::emails);
    public static final Variable<LocalTime> ALERT_SUMMARY_EMAIL_TIME = of("ALERT_SUMMARY_EMAIL_TIME",
            "alert.summary-email.time", ConfigValues::timeOfDay);
    public static final Variable<ZoneId> TOCSIN_SUMMARY_ZONE = of("TOCSIN_SUMMARY_ZONE", "tocsin.summary.zone",
            ConfigValues::zone);
    public static final Variable<URI> TOCSIN_DASHBOARD_URL = of("TOCSIN_DASHBOARD_URL", "tocsin.dashboard-url",
            ConfigValues::dashboardUrl);
    public static final Variable<String> TOCSIN_TABLE_NAME = of("TOCSIN_TABLE_NAME", "tocsin.table-name",
            ConfigValues.matching(ConfigValues.TABLE_NAME, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)"));
    public static final Variable<Duration> TOCSIN_INGEST_CLAIM_LEASE = duration("TOCSIN_INGEST_CLAIM_LEASE",
            "tocsin.ingest.claim-lease");
    public static final Variable<Integer> TOCSIN_DELIVERY_ATTEMPTS_PER_INVOCATION = positiveInt(
            "TOCSIN_DELIVERY_ATTEMPTS_PER_INVOCATION", "tocsin.delivery.attempts-per-invocation");
    public static final Variable<Duration> TOCSIN_DELIVERY_INITIAL_BACKOFF = duration("TOCSIN_DELIVERY_INITIAL_BACKOFF",
            "tocsin.delivery.initial-backoff");
    public static final Variable<Duration> TOCSIN_DELIVERY_PENDING_RETRY_DELAY = duration(
            "TOCSIN_DELIVERY_PENDING_RETRY_DELAY", "tocsin.delivery.pending-retry-delay");
    public static final Variable<Integer> TOCSIN_DELIVERY_MAX_ATTEMPTS = positiveInt("TOCSIN_DELIVERY_MAX_ATTEMPTS",
            "tocsin.delivery.max-attempts");
    public static final Variable<Duration> TOCSIN_DELIVERY_LEASE = duration("TOCSIN_DELIVERY_LEASE",
            "tocsin.delivery.lease");
    public static final Variable<Duration> TOCSIN_DELIVERY_MAX_BACKOFF = duration("TOCSIN_DELIVERY_MAX_BACKOFF",
            "tocsin.delivery.max-backoff");
    public static final Variable<Integer> TOCSIN_DELIVERY_MAX_PER_SWEEP = positiveInt("TOCSIN_DELIVERY_MAX_PER_SWEEP",
            "tocsin.delivery.max-per-sweep");
    public static final Variable<Duration> TOCSIN_SWEEP_BUDGET = duration("TOCSIN_SWEEP_BUDGET", "tocsin.sweep.budget");
    public static final Variable<Duration> TOCSIN_SWEEP_STEP_MARGIN = duration("TOCSIN_SWEEP_STEP_MARGIN",
            "tocsin.sweep.step-margin");
    public static final Variable<Duration> TOCSIN_RETENTION = duration("TOCSIN_RETENTION", "tocsin.retention",
            ConfigValues::retention);
    public static final Variable<Map<Severity, Duration>> TOCSIN_ACK_TIMEOUT = of("TOCSIN_ACK_TIMEOUT",
            "tocsin.ack-timeout", ConfigValues::ackTimeouts);
    public static final Variable<Integer> TOCSIN_ESCALATION_MAX_LEVEL = positiveInt("TOCSIN_ESCALATION_MAX_LEVEL",
            "tocsin.escalation.max-level");
    public static final Variable<Duration> TOCSIN_MAINTENANCE_MAX_DURATION = duration("TOCSIN_MAINTENANCE_MAX_DURATION",
            "tocsin.maintenance.max-duration");
    public static final Variable<Duration> TOCSIN_MAINTENANCE_CACHE_TTL = duration("TOCSIN_MAINTENANCE_CACHE_TTL",
            "tocsin.maintenance.cache-ttl");
    public static final Variable<Duration> TOCSIN_HEARTBEAT_DEFAULT_INTERVAL = duration(
            "TOCSIN_HEARTBEAT_DEFAULT_INTERVAL", "tocsin.heartbeat.default-interval");
    public static final Variable<Duration> TOCSIN_HEARTBEAT_DEFAULT_GRACE = duration("TOCSIN_HEARTBEAT_DEFAULT_GRACE",
            "tocsin.heartbeat.default-grace");
    public static final Variable<Severity> TOCSIN_HEARTBEAT_SEVERITY = of("TOCSIN_HEARTBEAT_SEVERITY",
            "tocsin.heartbeat.severity", ConfigValues::severity);
    /** A prefix: one variable per numeric rule ({@code TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HIGH}). */
    public static final Variable<Double> TOCSIN_RULES_THRESHOLDS_ = of("TOCSIN_RULES_THRESHOLDS_",
            "tocsin.rules.thresholds.", ConfigValues::number);
    public static final Variable<Severity> TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY = of("TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY",
            "tocsin.cloudwatch.default-severity", ConfigValues::severity);
    public static final Variable<String> TOCSIN_CLOUDWATCH_INSUFFICIENT_DATA = of("TOCSIN_CLOUDWATCH_INSUFFICIENT_DATA",
            "tocsin.cloudwatch.insufficient-data", ConfigValues.oneOf(Set.of("ignore", "alarm")));
    public static final Variable<Set<Severity>> TOCSIN_ESCALATE_SEVERITIES = of("TOCSIN_ESCALATE_SEVERITIES",
            "tocsin.escalate-severities", ConfigValues::severities);
    public static final Variable<List<String>> TOCSIN_ESCALATION_FROM = of("TOCSIN_ESCALATION_FROM",
            "tocsin.escalation.from", ConfigValues::emails);
    public static final Variable<List<String>> TOCSIN_ESCALATION_RECIPIENTS = of("TOCSIN_ESCALATION_RECIPIENTS",
            "tocsin.escalation.recipients", ConfigValues::emails);
    public static final Variable<List<Secret>> TOCSIN_GRAFANA_WEBHOOK_SECRET = of("TOCSIN_GRAFANA_WEBHOOK_SECRET",
            "tocsin.grafana.webhook-secret", ConfigValues::secrets);
    public static final Variable<String> TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME = secretName(
            "TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME", "tocsin.grafana.webhook-secret-name");
    public static final Variable<String> TOCSIN_GRAFANA_SIGNATURE_HEADER = header("TOCSIN_GRAFANA_SIGNATURE_HEADER",
            "tocsin.grafana.signature-header");
    public static final Variable<String> TOCSIN_GRAFANA_TIMESTAMP_HEADER = header("TOCSIN_GRAFANA_TIMESTAMP_HEADER",
            "tocsin.grafana.timestamp-header");
    public static final Variable<Duration> TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE = duration(
            "TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE", "tocsin.grafana.timestamp-tolerance");
    public static final Variable<String> TOCSIN_SMTP_SECRET_NAME = secretName("TOCSIN_SMTP_SECRET_NAME",
            "tocsin.smtp.secret-name");
    public static final Variable<String> QUARKUS_FUNQY_EXPORT = of("QUARKUS_FUNQY_EXPORT", "quarkus.funqy.export",
            ConfigValues.oneOf(ConfigurationCheck.FUNCTIONS));

    private static final Map<String, Variable<?>> BY_PROPERTY = ALL.stream()
            .collect(Collectors.toMap(v -> v.property, Function.identity()));

    private final String env;
    private final String property;
    private final Function<String, T> parser;
    private final boolean duration;

    private Variable(String env, String property, Function<String, T> parser, boolean duration) {
        this.env = env;
        this.property = property;
        this.parser = parser;
        this.duration = duration;
    }

    private static <T> Variable<T> of(String env, String property, Function<String, T> parser) {
        Variable<T> variable = new Variable<>(env, property, parser, false);
        ALL.add(variable);
        return variable;
    }

    private static Variable<Duration> duration(String env, String property) {
        return duration(env, property, ConfigValues::duration);
    }

    private static Variable<Duration> duration(String env, String property, Function<String, Duration> parser) {
        Variable<Duration> variable = new Variable<>(env, property, parser, true);
        ALL.add(variable);
        return variable;
    }

    private static Variable<Integer> positiveInt(String env, String property) {
        return of(env, property, ConfigValues::positiveInt);
    }

    private static Variable<String> secretName(String env, String property) {
        return of(env, property, ConfigValues.matching(ConfigValues.SECRET_NAME,
                "a Parameter Store path such as /tocsin/pagerduty or a Secrets Manager secret name such as "
                        + "tocsin/pagerduty (not an ARN)"));
    }

    private static Variable<String> header(String env, String property) {
        return of(env, property, ConfigValues.matching(ConfigValues.HEADER_NAME,
                "an HTTP header name such as X-Grafana-Alerting-Timestamp"));
    }

    /** Every variable, in README table order. */
    public static List<Variable<?>> values() {
        return Collections.unmodifiableList(ALL);
    }

    /** The environment name ({@code TOCSIN_RULES_THRESHOLDS_} is a prefix: one variable per rule). */
    public String env() {
        return env;
    }

    public String property() {
        return property;
    }

    /** Whether the value is one duration read by the one duration parser ({@link ConfigValues#duration}). */
    public boolean isDuration() {
        return duration;
    }

    /** The typed value of {@code value}; a bad value throws a {@link ConfigurationException} naming the variable. */
    public T parse(String value) {
        return parse(env, value);
    }

    /** {@link #parse} of the variable named {@code env} (for a prefix variable, the full name). */
    T parse(String env, String value) {
        if (this == TOCSIN_RULES_THRESHOLDS_) {
            checkRule(env);
        }
        try {
            return parser.apply(value);
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException(env, e.getMessage());
        }
    }

    /** The typed value of an optional text: empty when unset or blank. */
    public Optional<T> parse(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).map(this::parse);
    }

    private void checkRule(String env) {
        String rule = env.substring(this.env.length()).toLowerCase(Locale.ROOT);
        if (AlertRule.named(rule).flatMap(AlertRule::threshold).isEmpty()) {
            throw new ConfigurationException(env, "no numeric rule " + rule + " (the rules with a threshold: "
                    + Arrays.stream(AlertRule.values()).filter(r -> r.threshold().isPresent())
                            .map(AlertRule::ruleName).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** The variable of a property name, and its environment name; empty for a property that is not Tocsin's. */
    static Optional<Map.Entry<Variable<?>, String>> byProperty(String property) {
        Variable<?> exact = BY_PROPERTY.get(property);
        if (exact != null) {
            return Optional.of(Map.entry(exact, exact.env));
        }
        String prefix = TOCSIN_RULES_THRESHOLDS_.property;
        if (property.startsWith(prefix) && property.length() > prefix.length()) {
            String rule = property.substring(prefix.length()).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
            return Optional.of(Map.entry(TOCSIN_RULES_THRESHOLDS_, TOCSIN_RULES_THRESHOLDS_.env + rule));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return env;
    }
}
