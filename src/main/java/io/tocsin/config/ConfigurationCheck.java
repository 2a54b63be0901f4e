package io.tocsin.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import io.tocsin.alert.AlertRule;
import io.tocsin.alert.Severity;

/**
 * Every configuration variable of docs/configuration.md, checked whole: a value is checked as it is read (this is a
 * SmallRye {@link ConfigSourceInterceptor}, so a bad value is refused before any typed mapping converts it, with a
 * message naming the environment variable, e.g. {@code TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY: 'urgent' is not one of
 * critical, high, medium, low}), and {@link #verify} reads every one at start-up (Settings), so that a variable
 * no code path of this function reads is checked too. Cross-variable rules (an end after a start, a key when
 * PagerDuty is on) stay in {@link Settings}.
 */
@Priority(Priorities.APPLICATION + 200)
public class ConfigurationCheck implements ConfigSourceInterceptor {

    /** The functions of the jar, by their Funqy names (ConfigurationCheckTest keeps the two equal). */
    public static final Set<String> FUNCTIONS = Set.of("ingest", "acknowledge", "resolve", "incident", "incidents",
            "pagerduty-webhook", "escalation-sweep", "alertmanager", "rules", "evaluate", "maintenance", "heartbeat",
            "metrics", "dashboard", "daily-summary", "grafana", "tokens", "oncall");

    /** DynamoDB table names: 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.' (DynamoDB developer guide, naming rules). */
    static final String TABLE_NAME = "[A-Za-z0-9_.-]{3,255}";
    /** Secrets Manager secret names: 1 to 512 of letters, digits and /_+=.@- (Secrets Manager API, CreateSecret Name). */
    static final String SECRET_NAME = "[A-Za-z0-9/_+=.@-]{1,512}";
    /** An HTTP header name (RFC 9110 token, restricted to what Grafana's form accepts). */
    static final String HEADER_NAME = "[A-Za-z0-9-]{1,128}";
    static final String EMAIL = "[^@\\s,]+@[^@\\s,]+\\.[^@\\s,]+";

    /** A configuration variable: its environment name, its property, and what its value must be. */
    public enum Variable {
        PAGERDUTY_ENABLED("pagerduty.enabled", bool()),
        PAGERDUTY_INTEGRATION_KEY("pagerduty.integration-key", v -> {
            if (v.trim().length() != Settings.PAGERDUTY_INTEGRATION_KEY_LENGTH) {
                throw new IllegalArgumentException("must be the " + Settings.PAGERDUTY_INTEGRATION_KEY_LENGTH
                        + "-character integration key of an Events API v2 integration, got " + v.trim().length()
                        + " characters");
            }
        }),
        PAGERDUTY_API_KEY("pagerduty.api-key", token("the REST API key")),
        PAGERDUTY_WEBHOOK_SECRET("pagerduty.webhook-secret", secrets()),
        PAGERDUTY_INTEGRATION_KEY_SECRET_NAME("pagerduty.integration-key-secret-name", secretName()),
        PAGERDUTY_API_KEY_SECRET_NAME("pagerduty.api-key-secret-name", secretName()),
        PAGERDUTY_WEBHOOK_SECRET_NAME("pagerduty.webhook-secret-name", secretName()),
        ALERT_DEDUP_WINDOW("alert.dedup-window", v -> Settings.positiveLong("ALERT_DEDUP_WINDOW", v, "seconds")),
        ALERT_ESCALATION_TIMEOUT("alert.escalation-timeout",
                v -> Settings.positiveLong("ALERT_ESCALATION_TIMEOUT", v, "minutes")),
        MAINTENANCE_MODE("maintenance.mode", bool()),
        MAINTENANCE_START("maintenance.start", v -> Settings.instant("MAINTENANCE_START", v)),
        MAINTENANCE_END("maintenance.end", v -> Settings.instant("MAINTENANCE_END", v)),
        ALERT_SUMMARY_EMAIL_ENABLED("alert.summary-email.enabled", bool()),
        ALERT_SUMMARY_EMAIL_RECIPIENTS("alert.summary-email.recipients", emails()),
        ALERT_SUMMARY_EMAIL_TIME("alert.summary-email.time", v -> {
            if (!v.trim().matches("([01]\\d|2[0-3]):[0-5]\\d")) {
                throw new IllegalArgumentException("must be HH:MM from 00:00 to 23:59, got '" + v + "'");
            }
        }),
        TOCSIN_SUMMARY_ZONE("tocsin.summary.zone", v -> {
            try {
                java.time.ZoneId.of(v.trim());
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("must be a time zone such as UTC or Europe/Paris, got '" + v + "'");
            }
        }),
        TOCSIN_DASHBOARD_URL("tocsin.dashboard-url", v -> {
            URI uri;
            try {
                uri = new URI(v.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("is not a URL: '" + v + "'");
            }
            if (!List.of("http", "https").contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
                    || uri.getHost() == null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("must be an absolute http(s) URL without a #fragment, got '" + v + "'");
            }
        }),
        TOCSIN_TABLE_NAME("tocsin.table-name", v -> {
            if (!v.matches(TABLE_NAME)) {
                throw new IllegalArgumentException("must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .), got '"
                        + v + "'");
            }
        }),
        TOCSIN_INGEST_CLAIM_LEASE("tocsin.ingest.claim-lease", duration()),
        TOCSIN_DELIVERY_ATTEMPTS_PER_INVOCATION("tocsin.delivery.attempts-per-invocation", positiveInt()),
        TOCSIN_DELIVERY_INITIAL_BACKOFF("tocsin.delivery.initial-backoff", duration()),
        TOCSIN_DELIVERY_PENDING_RETRY_DELAY("tocsin.delivery.pending-retry-delay", duration()),
        TOCSIN_DELIVERY_MAX_ATTEMPTS("tocsin.delivery.max-attempts", positiveInt()),
        TOCSIN_DELIVERY_LEASE("tocsin.delivery.lease", duration()),
        TOCSIN_DELIVERY_MAX_BACKOFF("tocsin.delivery.max-backoff", duration()),
        TOCSIN_DELIVERY_MAX_PER_SWEEP("tocsin.delivery.max-per-sweep", positiveInt()),
        TOCSIN_SWEEP_BUDGET("tocsin.sweep.budget", duration()),
        TOCSIN_SWEEP_STEP_MARGIN("tocsin.sweep.step-margin", duration()),
        TOCSIN_ACK_TIMEOUT("tocsin.ack-timeout", v -> Settings.ackTimeouts(v)),
        TOCSIN_ESCALATION_MAX_LEVEL("tocsin.escalation.max-level", positiveInt()),
        TOCSIN_MAINTENANCE_MAX_DURATION("tocsin.maintenance.max-duration", duration()),
        TOCSIN_MAINTENANCE_CACHE_TTL("tocsin.maintenance.cache-ttl", duration()),
        TOCSIN_HEARTBEAT_DEFAULT_INTERVAL("tocsin.heartbeat.default-interval", duration()),
        TOCSIN_HEARTBEAT_DEFAULT_GRACE("tocsin.heartbeat.default-grace", duration()),
        TOCSIN_HEARTBEAT_SEVERITY("tocsin.heartbeat.severity", severities()),
        TOCSIN_RULES_THRESHOLDS_("tocsin.rules.thresholds.", v -> {
            try {
                if (!Double.isFinite(Double.parseDouble(v.trim()))) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number such as 0.9, got '" + v + "'");
            }
        }),
        TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY("tocsin.cloudwatch.default-severity", severities()),
        TOCSIN_CLOUDWATCH_INSUFFICIENT_DATA("tocsin.cloudwatch.insufficient-data", v -> {
            if (!List.of("ignore", "alarm").contains(v.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("must be ignore or alarm, got '" + v + "'");
            }
        }),
        TOCSIN_ESCALATE_SEVERITIES("tocsin.escalate-severities", severities()),
        TOCSIN_ESCALATION_FROM("tocsin.escalation.from", emails()),
        TOCSIN_ESCALATION_RECIPIENTS("tocsin.escalation.recipients", emails()),
        TOCSIN_GRAFANA_WEBHOOK_SECRET("tocsin.grafana.webhook-secret", secrets()),
        TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME("tocsin.grafana.webhook-secret-name", secretName()),
        TOCSIN_GRAFANA_SIGNATURE_HEADER("tocsin.grafana.signature-header", header()),
        TOCSIN_GRAFANA_TIMESTAMP_HEADER("tocsin.grafana.timestamp-header", header()),
        TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE("tocsin.grafana.timestamp-tolerance", duration()),
        TOCSIN_SMTP_SECRET_NAME("tocsin.smtp.secret-name", secretName()),
        QUARKUS_FUNQY_EXPORT("quarkus.funqy.export", v -> {
            if (!FUNCTIONS.contains(v.trim())) {
                throw new IllegalArgumentException("'" + v + "' is not one of " + FUNCTIONS.stream().sorted()
                        .collect(Collectors.joining(", ")));
            }
        });

        private final String property;
        private final Consumer<String> check;

        Variable(String property, Consumer<String> check) {
            this.property = property;
            this.check = check;
        }

        /** The environment name ({@code TOCSIN_RULES_THRESHOLDS_} is a prefix: one variable per rule). */
        public String env() {
            return name();
        }

        public String property() {
            return property;
        }

        /** Checks {@code value} of the variable named {@code env}; throws a {@link ConfigurationException} naming it. */
        void check(String env, String value) {
            if (this == TOCSIN_RULES_THRESHOLDS_) {
                String rule = env.substring(name().length()).toLowerCase(Locale.ROOT);
                if (AlertRule.named(rule).flatMap(AlertRule::threshold).isEmpty()) {
                    throw new ConfigurationException(env, "no numeric rule " + rule + " (the rules with a threshold: "
                            + Arrays.stream(AlertRule.values()).filter(r -> r.threshold().isPresent())
                                    .map(AlertRule::ruleName).collect(Collectors.joining(", ")) + ")");
                }
            }
            try {
                check.accept(value);
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigurationException(env, e.getMessage());
            }
        }

        private static final Map<String, Variable> BY_PROPERTY = Arrays.stream(values())
                .collect(Collectors.toMap(v -> v.property, Function.identity()));

        /** The variable of a property name, and its environment name; empty for a property that is not Tocsin's. */
        static Optional<Map.Entry<Variable, String>> of(String property) {
            Variable exact = BY_PROPERTY.get(property);
            if (exact != null) {
                return Optional.of(Map.entry(exact, exact.name()));
            }
            if (property.startsWith(TOCSIN_RULES_THRESHOLDS_.property) && property.length()
                    > TOCSIN_RULES_THRESHOLDS_.property.length()) {
                String rule = property.substring(TOCSIN_RULES_THRESHOLDS_.property.length()).replaceAll("[^A-Za-z0-9]", "_")
                        .toUpperCase(Locale.ROOT);
                return Optional.of(Map.entry(TOCSIN_RULES_THRESHOLDS_, TOCSIN_RULES_THRESHOLDS_.name() + rule));
            }
            return Optional.empty();
        }
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
            Variable.of(name).ifPresent(v -> v.getKey().check(v.getValue(), value.getValue()));
        }
        return value;
    }

    /** Reads (and so checks) every variable that is set, including those no code path of this function reads. */
    public static void verify(Config config) {
        for (Variable variable : Variable.values()) {
            if (variable != Variable.TOCSIN_RULES_THRESHOLDS_) {
                check(config, variable.property);
            }
        }
        for (String name : config.getPropertyNames()) {
            String env = name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
            if (env.startsWith(Variable.TOCSIN_RULES_THRESHOLDS_.name())
                    && env.length() > Variable.TOCSIN_RULES_THRESHOLDS_.name().length()) {
                String value = config.getConfigValue(name).getValue();
                if (value != null && !value.isBlank()) {
                    Variable.TOCSIN_RULES_THRESHOLDS_.check(env, value);
                }
            }
        }
    }

    private static void check(Config config, String property) {
        String value = config.getConfigValue(property).getValue();
        if (value != null && !value.isBlank()) {
            Variable.of(property).ifPresent(v -> v.getKey().check(v.getValue(), value));
        }
    }

    private static Consumer<String> bool() {
        return v -> {
            if (!List.of("true", "false").contains(v.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("must be true or false, got '" + v + "'");
            }
        };
    }

    private static Consumer<String> positiveInt() {
        return v -> {
            try {
                if (Integer.parseInt(v.trim()) <= 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a positive whole number, got '" + v + "'");
            }
        };
    }

    private static Consumer<String> duration() {
        return v -> {
            Duration parsed;
            try {
                parsed = DurationConverter.parseDuration(v.trim());
            } catch (RuntimeException e) {
                parsed = null;
            }
            if (parsed == null || parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException("must be a positive duration such as 250ms, 30s, 5m, 2h or 7d, got '"
                        + v + "'");
            }
        };
    }

    private static Consumer<String> severities() {
        return v -> {
            for (String part : v.split(",")) {
                if (Severity.parse(part.trim()).isEmpty()) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not one of " + Severity.allowed());
                }
            }
        };
    }

    private static Consumer<String> emails() {
        return v -> {
            for (String part : v.split(",")) {
                if (!part.trim().isEmpty() && !part.trim().matches(EMAIL)) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not an email address");
                }
            }
        };
    }

    private static Consumer<String> secrets() {
        return v -> {
            List<String> parts = Arrays.stream(v.split(",")).map(String::trim).toList();
            if (parts.stream().anyMatch(p -> p.isEmpty() || !p.chars().allMatch(c -> c > ' ' && c < 127))) {
                // the message never shows the value
                throw new IllegalArgumentException("must be one or more secrets, comma-separated, each without spaces"
                        + " or control characters");
            }
        };
    }

    private static Consumer<String> token(String what) {
        return v -> {
            if (!v.trim().chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException("must be " + what + ", without spaces or control characters");
            }
        };
    }

    private static Consumer<String> secretName() {
        return v -> {
            if (!v.trim().matches(SECRET_NAME)) {
                throw new IllegalArgumentException("must be a Secrets Manager secret name such as tocsin/pagerduty (a name,"
                        + " not an ARN), got '" + v + "'");
            }
        };
    }

    private static Consumer<String> header() {
        return v -> {
            if (!v.trim().matches(HEADER_NAME)) {
                throw new IllegalArgumentException("must be an HTTP header name such as X-Grafana-Alerting-Timestamp, got '"
                        + v + "'");
            }
        };
    }
}
