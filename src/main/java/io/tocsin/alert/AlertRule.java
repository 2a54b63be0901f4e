package io.tocsin.alert;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of predefined alert rules (the original design's {@code AlertRules.CRITICAL_RULES}, {@code HIGH_RULES},
 * {@code MEDIUM_RULES}, plus low). An alert that names a rule takes its severity, title and description from it
 * unless the alert gives its own. Numeric rules fire when {@code metric} is strictly above {@code threshold}.
 */
public enum AlertRule {
    SERVICE_DOWN(Severity.CRITICAL, "Service down", "The service is not answering its health check.", null, null),
    DATABASE_CONNECTION_FAILURE(Severity.CRITICAL, "Database connection failure",
            "The service cannot connect to its database.", null, null),
    ERROR_RATE_CRITICAL(Severity.CRITICAL, "Error rate above 5%",
            "More than 5% of requests are failing.", "error_rate", 0.05),
    API_LATENCY_CRITICAL(Severity.CRITICAL, "API p99 latency above 2000 ms",
            "The 99th percentile API response time is above 2000 ms.", "api_p99_ms", 2000.0),

    DISK_USAGE_HIGH(Severity.HIGH, "Disk usage above 85%", "A disk is more than 85% full.", "disk_usage", 0.85),
    MEMORY_USAGE_HIGH(Severity.HIGH, "Memory usage above 90%", "Memory use is above 90%.", "memory_usage", 0.90),
    CACHE_FAILURE(Severity.HIGH, "Cache failure", "The cache is failing; requests fall through to the origin.",
            null, null),
    EXTERNAL_SERVICE_DEGRADED(Severity.HIGH, "External service degraded",
            "A third-party dependency is slow or failing.", null, null),

    ERROR_RATE_ELEVATED(Severity.MEDIUM, "Error rate above 1%", "More than 1% of requests are failing.",
            "error_rate", 0.01),
    SLOW_QUERIES(Severity.MEDIUM, "Slow database queries", "Database queries take longer than 100 ms.",
            "slow_query_ms", 100.0),
    RATE_LIMITING_ELEVATED(Severity.MEDIUM, "Elevated rate limiting", "More requests than usual are rate limited.",
            null, null),
    SUSPICIOUS_ACTIVITY(Severity.MEDIUM, "Suspicious activity", "Unusual access patterns were detected.", null, null),

    INFORMATIONAL(Severity.LOW, "Informational", "For information; no action needed.", null, null),
    MAINTENANCE_REMINDER(Severity.LOW, "Scheduled maintenance reminder", "A maintenance window is coming up.",
            null, null);

    private final Severity severity;
    private final String title;
    private final String description;
    private final String metric;
    private final Double threshold;

    AlertRule(Severity severity, String title, String description, String metric, Double threshold) {
        this.severity = severity;
        this.title = title;
        this.description = description;
        this.metric = metric;
        this.threshold = threshold;
    }

    /** The rule's name as callers write it: {@code service_down}, {@code disk_usage_high}, ... */
    public String ruleName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public Optional<String> metric() {
        return Optional.ofNullable(metric);
    }

    public Optional<Double> threshold() {
        return Optional.ofNullable(threshold);
    }

    public static Optional<AlertRule> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim();
        return Arrays.stream(values()).filter(r -> r.ruleName().equalsIgnoreCase(wanted)).findFirst();
    }
}
