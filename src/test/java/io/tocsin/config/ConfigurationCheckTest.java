package io.tocsin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tocsin.alert.Severity;
import io.tocsin.support.Projects;

/**
 * Every variable of docs/configuration.md is checked at start-up: for each row of the table, a bad value stops
 * start-up with a message that begins with the variable's name. A variable added to the table without a check (or
 * without a bad value here) fails this test.
 */
class ConfigurationCheckTest {

    /** A bad value for every variable of docs/configuration.md's table. */
    private static final Map<String, String> BAD = Map.ofEntries(
            Map.entry("PAGERDUTY_ENABLED", "yes please"),
            Map.entry("PAGERDUTY_INTEGRATION_KEY", "short"),
            Map.entry("PAGERDUTY_API_KEY", "two words"),
            Map.entry("PAGERDUTY_WEBHOOK_SECRET", "whsec-1,,whsec-2"),
            Map.entry("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "arn:aws:secretsmanager:eu-west-1:1:secret:x"),
            Map.entry("PAGERDUTY_API_KEY_SECRET_NAME", "tocsin pagerduty"),
            Map.entry("PAGERDUTY_WEBHOOK_SECRET_NAME", "tocsin/webhook#1"),
            Map.entry("ALERT_DEDUP_WINDOW", "5m"),
            Map.entry("ALERT_ESCALATION_TIMEOUT", "0"),
            Map.entry("MAINTENANCE_MODE", "sometimes"),
            Map.entry("MAINTENANCE_START", "tomorrow 2am"),
            Map.entry("MAINTENANCE_END", "2026-13-01T00:00:00Z"),
            Map.entry("ALERT_SUMMARY_EMAIL_ENABLED", "daily"),
            Map.entry("ALERT_SUMMARY_EMAIL_RECIPIENTS", "sre@example.com, nobody"),
            Map.entry("ALERT_SUMMARY_EMAIL_TIME", "24:00"),
            Map.entry("TOCSIN_SUMMARY_ZONE", "Mars/Olympus_Mons"),
            Map.entry("TOCSIN_DASHBOARD_URL", "/dashboard"),
            Map.entry("TOCSIN_TABLE_NAME", "incidents table"),
            Map.entry("TOCSIN_INGEST_CLAIM_LEASE", "soon"),
            Map.entry("TOCSIN_DELIVERY_ATTEMPTS_PER_INVOCATION", "0"),
            Map.entry("TOCSIN_DELIVERY_INITIAL_BACKOFF", "-250ms"),
            Map.entry("TOCSIN_DELIVERY_PENDING_RETRY_DELAY", "0s"),
            Map.entry("TOCSIN_DELIVERY_MAX_ATTEMPTS", "twelve"),
            Map.entry("TOCSIN_DELIVERY_LEASE", "60 seconds"),
            Map.entry("TOCSIN_DELIVERY_MAX_BACKOFF", "30 minutes"),
            Map.entry("TOCSIN_DELIVERY_MAX_PER_SWEEP", "-1"),
            Map.entry("TOCSIN_SWEEP_BUDGET", "100x"),
            Map.entry("TOCSIN_SWEEP_STEP_MARGIN", "0ms"),
            Map.entry("TOCSIN_RETENTION", "-400d"),
            Map.entry("TOCSIN_ACK_TIMEOUT", "urgent=30m"),
            Map.entry("TOCSIN_ESCALATION_MAX_LEVEL", "3.5"),
            Map.entry("TOCSIN_MAINTENANCE_MAX_DURATION", "a week"),
            Map.entry("TOCSIN_MAINTENANCE_CACHE_TTL", "-30s"),
            Map.entry("TOCSIN_HEARTBEAT_DEFAULT_INTERVAL", "5 min"),
            Map.entry("TOCSIN_HEARTBEAT_DEFAULT_GRACE", "0m"),
            Map.entry("TOCSIN_HEARTBEAT_SEVERITY", "loud"),
            Map.entry("TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HIGH", "ninety percent"),
            Map.entry("TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY", "urgent"),
            Map.entry("TOCSIN_CLOUDWATCH_INSUFFICIENT_DATA", "panic"),
            Map.entry("TOCSIN_ESCALATE_SEVERITIES", "critical,urgent"),
            Map.entry("TOCSIN_ESCALATION_FROM", "oncall-bot"),
            Map.entry("TOCSIN_ESCALATION_RECIPIENTS", "sre@example.com,ops at example.com"),
            Map.entry("TOCSIN_GRAFANA_WEBHOOK_SECRET", " , "),
            Map.entry("TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME", "grafana secret"),
            Map.entry("TOCSIN_SMTP_SECRET_NAME", "arn:aws:secretsmanager:us-east-1:1:secret:smtp"),
            Map.entry("TOCSIN_GRAFANA_SIGNATURE_HEADER", "X-Grafana Signature"),
            Map.entry("TOCSIN_GRAFANA_TIMESTAMP_HEADER", "X-Timestamp:"),
            Map.entry("TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE", "0s"),
            Map.entry("QUARKUS_FUNQY_EXPORT", "ingestion"));

    /** The variables of docs/configuration.md, in table order ({@code <RULE>} as one rule). */
    static List<String> readmeVariables() throws IOException {
        String section = Files.readString(Projects.root().resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        assertTrue(section.startsWith("# Configuration\n"), "docs/configuration.md is the Configuration page");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z0-9_<>]+)` \\|").matcher(section);
        while (m.find()) {
            names.add(m.group(1).replace("<RULE>", "DISK_USAGE_HIGH"));
        }
        assertTrue(names.size() > 40, "the table's rows: " + names);
        return List.copyOf(names);
    }

    /** Builds the configuration from {@code environment} and starts it as the application does. */
    static Settings start(Map<String, String> environment) {
        SmallRyeConfig config = config(environment);
        new ConfigurationStartup(config);
        return new Settings(config.getConfigMapping(AlertConfig.class), config.getConfigMapping(MaintenanceModeConfig.class),
                config.getConfigMapping(PagerDutyConfig.class), config.getConfigMapping(TocsinConfig.class));
    }

    /** The application's configuration (sources, the check, the converters and mappings) over {@code environment}. */
    static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withInterceptors(new ConfigurationCheck())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(AlertConfig.class)
                .withMapping(MaintenanceModeConfig.class)
                .withMapping(PagerDutyConfig.class)
                .withMapping(TocsinConfig.class)
                .withMapping(EscalationConfig.class)
                .withMapping(io.tocsin.cloudwatch.CloudWatchConfig.class)
                .withMapping(io.tocsin.grafana.GrafanaConfig.class)
                .withMapping(io.tocsin.maintenance.MaintenanceConfig.class)
                .withMapping(io.tocsin.rules.RulesConfig.class)
                .withMapping(io.tocsin.heartbeat.HeartbeatConfig.class)
                .build();
    }

    static Stream<String> variables() throws IOException {
        return readmeVariables().stream();
    }

    @ParameterizedTest
    @MethodSource("variables")
    void aBadValueStopsStartUpNamingTheVariable(String variable) {
        String bad = BAD.get(variable);
        assertNotNull(bad, variable + " is in docs/configuration.md: give it a check in ConfigurationCheck and a bad"
                + " value here");
        Map<String, String> environment = new HashMap<>(Map.of(variable, bad));
        if (variable.startsWith("MAINTENANCE_")) {
            environment.put("MAINTENANCE_MODE", environment.getOrDefault("MAINTENANCE_MODE", "true"));
        }
        try {
            start(environment);
            fail(variable + "=" + bad + " started");
        } catch (RuntimeException refused) {
            String messages = messages(refused);
            assertTrue(messages.contains(variable + ": "), variable + "=" + bad + " refused without naming it: "
                    + messages);
            if (variable.contains("SECRET") && !variable.endsWith("_NAME") || variable.endsWith("_KEY")) {
                assertFalse(messages.contains(bad.trim()) && bad.trim().length() > 3, "a secret is never shown: "
                        + messages);
            }
        }
    }

    @Test
    void theDefaultsAndGoodValuesStart() {
        assertNotNull(start(Map.of()));
        Settings settings = start(Map.ofEntries(Map.entry("TOCSIN_DELIVERY_INITIAL_BACKOFF", "250ms"),
                Map.entry("TOCSIN_MAINTENANCE_MAX_DURATION", "7d"), Map.entry("TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY", "LOW"),
                Map.entry("TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HIGH", "0.9"), Map.entry("QUARKUS_FUNQY_EXPORT", "ingest"),
                Map.entry("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "tocsin/pagerduty"),
                Map.entry("TOCSIN_GRAFANA_TIMESTAMP_HEADER", "X-Grafana-Alerting-Timestamp"),
                Map.entry("TOCSIN_ESCALATION_RECIPIENTS", "a@example.com, b@example.com")));
        assertTrue(settings.pagerDuty().enabled(), "a key in a secret turns PagerDuty on, as a key does");
    }

    /** Every form docs/configuration.md documents for a duration, and the duration it is. */
    static final Map<String, Duration> DOCUMENTED_DURATIONS = Map.of("250ms", Duration.ofMillis(250),
            "30s", Duration.ofSeconds(30), "5m", Duration.ofMinutes(5), "2h", Duration.ofHours(2),
            "7d", Duration.ofDays(7), "PT5M", Duration.ofMinutes(5), "P1D", Duration.ofDays(1),
            "PT1H30M", Duration.ofMinutes(90));

    @Test
    void theReadmeDocumentsTheseDurationForms() throws IOException {
        String readme = Files.readString(Projects.root().resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("Durations are written `250ms`, `30s`, `5m`, `2h`, `7d` (or ISO-8601"),
                "docs/configuration.md documents the forms this test feeds");
    }

    /** The variables read by the one duration parser: exactly the docs/configuration.md rows whose default is a duration. */
    static Stream<Variable<?>> durationVariables() throws IOException {
        String readme = Files.readString(Projects.root().resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z0-9_]+)` \\| `\\d+(ms|s|m|h|d)` \\|").matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<Variable<?>> durations = Variable.values().stream().filter(Variable::isDuration).toList();
        assertEquals(documented, new TreeSet<>(durations.stream().map(Variable::env).toList()),
                "docs/configuration.md rows with a duration default, and the variables read as durations");
        return durations.stream();
    }

    @ParameterizedTest
    @MethodSource("durationVariables")
    void everyDocumentedDurationFormIsAcceptedByEveryDurationVariable(Variable<?> variable) {
        DOCUMENTED_DURATIONS.forEach((form, expected) -> {
            SmallRyeConfig config = config(Map.of(variable.env(), form));
            new ConfigurationStartup(config);
            assertEquals(expected, variable.parse(form), variable + "=" + form + " as the check and Settings read it");
            assertEquals(expected, config.getValue(variable.property(), Duration.class),
                    variable + "=" + form + " as its typed mapping reads it");
        });
        String week = variable == Variable.TOCSIN_RETENTION ? "32d" : "7d"; // the retention's minimum (Settings)
        assertNotNull(start(Map.of(variable.env(), week)), variable + "=" + week + " starts");
    }

    /** template.yaml's Retention parameter refuses at deploy time what would stop every function at start-up. */
    @Test
    void theTemplatesRetentionPatternAcceptsWhatStartsAndNothingElse() throws IOException {
        String template = Files.readString(Projects.root().resolve("template.yaml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^  Retention:\\n(?:    .*\\n)*?    AllowedPattern: \"(.*)\"$").matcher(template);
        assertTrue(m.find(), "template.yaml's Retention parameter has an AllowedPattern");
        Pattern allowed = Pattern.compile(m.group(1).replace("\\\\", "\\"));
        for (String value : List.of("0", "31d", "32d", "99d", "100d", "400d", "1000d", "5d", "0d")) {
            boolean starts;
            try {
                start(Map.of("TOCSIN_RETENTION", value));
                starts = true;
            } catch (RuntimeException e) {
                starts = false;
            }
            boolean deploys = allowed.matcher(value).matches();
            assertTrue(!deploys || starts, value + " deploys but would not start");
            if (!value.equals("0d")) {
                assertEquals(starts, deploys, value);
            }
        }
    }

    @Test
    void aRetentionIsZeroToKeepOrAtLeastTheMinimum() {
        assertEquals(Optional.of(Duration.ofDays(400)), start(Map.of()).retention(), "the default");
        assertEquals(Optional.empty(), start(Map.of("TOCSIN_RETENTION", "0")).retention(), "0 keeps them");
        assertEquals(Optional.empty(), start(Map.of("TOCSIN_RETENTION", "0d")).retention());
        Settings year = start(Map.of("TOCSIN_RETENTION", "365d"));
        Instant closed = Instant.parse("2030-01-01T00:00:00Z");
        assertEquals(Optional.of(closed.plus(Duration.ofDays(365)).getEpochSecond()), year.expiresAt(closed));
        assertEquals(Optional.empty(), start(Map.of("TOCSIN_RETENTION", "0")).expiresAt(closed));
        String messages = "";
        try {
            start(Map.of("TOCSIN_RETENTION", "7d"));
        } catch (RuntimeException e) {
            messages = messages(e);
        }
        assertTrue(messages.contains("TOCSIN_RETENTION: must be 0 (keep closed incidents) or at least 32d"), messages);
        messages = "";
        try {
            start(Map.of("TOCSIN_RETENTION", "-1d"));
        } catch (RuntimeException e) {
            messages = messages(e);
        }
        assertTrue(messages.contains("TOCSIN_RETENTION: must be a positive duration"), messages);
    }

    @Test
    void everyDocumentedDurationFormIsAnAcknowledgmentTimeoutAlonePerSeverityAndMixed() {
        DOCUMENTED_DURATIONS.forEach((form, expected) -> {
            assertEquals(Optional.of(expected), start(Map.of("TOCSIN_ACK_TIMEOUT", form)).ackTimeout(Severity.LOW),
                    form);
            Settings perSeverity = start(Map.of("TOCSIN_ACK_TIMEOUT", "high=" + form));
            assertEquals(Optional.of(expected), perSeverity.ackTimeout(Severity.HIGH), "high=" + form);
            assertEquals(Optional.empty(), perSeverity.ackTimeout(Severity.LOW), "high=" + form);
        });
        Settings mixed = start(Map.of("TOCSIN_ACK_TIMEOUT", "critical=1d,high=250ms"));
        assertEquals(Optional.of(Duration.ofDays(1)), mixed.ackTimeout(Severity.CRITICAL));
        assertEquals(Optional.of(Duration.ofMillis(250)), mixed.ackTimeout(Severity.HIGH));
        assertEquals(Optional.empty(), mixed.ackTimeout(Severity.MEDIUM));
        assertEquals(Optional.of(Duration.ofMillis(250)), mixed.shortestAckTimeout());
    }

    @Test
    void theCheckIsRegisteredWithTheApplicationsConfiguration() {
        assertTrue(java.util.ServiceLoader.load(io.smallrye.config.ConfigSourceInterceptor.class).stream()
                .anyMatch(p -> p.type() == ConfigurationCheck.class), "META-INF/services registers ConfigurationCheck");
    }

    @Test
    void aThresholdOfAnUnknownRuleIsRefused() {
        String messages = "";
        try {
            start(Map.of("TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HUGE", "0.9"));
        } catch (RuntimeException e) {
            messages = messages(e);
        }
        assertTrue(messages.contains("TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HUGE: no numeric rule"), messages);
    }

    @Test
    void everyCheckedVariableIsInTheReadmeAndEveryFunctionIsExportable() throws IOException {
        Set<String> documented = new TreeSet<>(readmeVariables());
        documented.add("TOCSIN_RULES_THRESHOLDS_");
        Set<String> checked = new TreeSet<>();
        for (Variable<?> variable : Variable.values()) {
            checked.add(variable.env());
        }
        documented.remove("TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HIGH");
        assertEquals(documented, checked, "docs/configuration.md and Variable");
        Set<String> funqs = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Projects.root().resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = Pattern.compile("@Funq\\(\"([a-z-]+)\"\\)").matcher(Files.readString(file));
                while (m.find()) {
                    funqs.add(m.group(1));
                }
            }
        }
        assertEquals(funqs, new TreeSet<>(ConfigurationCheck.FUNCTIONS), "QUARKUS_FUNQY_EXPORT's values");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
            for (Throwable s : t.getSuppressed()) {
                all.append(s.getMessage()).append(" | ");
            }
        }
        return all.toString();
    }
}
