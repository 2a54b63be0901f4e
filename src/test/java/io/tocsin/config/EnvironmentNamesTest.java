package io.tocsin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.net.URI;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The original design's environment variables, exactly as named there, reach Tocsin's settings; bad values stop
 * start-up with a message that names the variable.
 */
class EnvironmentNamesTest {

    private static Settings settings(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(AlertConfig.class)
                .withMapping(MaintenanceModeConfig.class)
                .withMapping(PagerDutyConfig.class)
                .withMapping(TocsinConfig.class)
                .build();
        return new Settings(config.getConfigMapping(AlertConfig.class), config.getConfigMapping(MaintenanceModeConfig.class),
                config.getConfigMapping(PagerDutyConfig.class), config.getConfigMapping(TocsinConfig.class));
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void everyVariableOfTheOriginalDesignIsRead() {
        Settings settings = settings(env(
                "PAGERDUTY_ENABLED", "true",
                "PAGERDUTY_INTEGRATION_KEY", "abcdefabcdefabcdefabcdefabcdef12",
                "PAGERDUTY_API_KEY", "u+apikey",
                "ALERT_ESCALATION_TIMEOUT", "20",
                "MAINTENANCE_MODE", "true",
                "MAINTENANCE_START", "2026-11-27T01:00:00Z",
                "MAINTENANCE_END", "2026-11-27T03:00:00+01:00",
                "ALERT_DEDUP_WINDOW", "600",
                "ALERT_SUMMARY_EMAIL_ENABLED", "true",
                "ALERT_SUMMARY_EMAIL_RECIPIENTS", "sre@example.com, oncall@example.com",
                "ALERT_SUMMARY_EMAIL_TIME", "07:30",
                "TOCSIN_SUMMARY_ZONE", "Europe/Paris",
                "TOCSIN_DASHBOARD_URL", "https://tocsin.example.com/dashboard",
                "TOCSIN_TABLE_NAME", "prod-incidents"));
        assertTrue(settings.pagerDuty().enabled());
        assertEquals(Duration.ofMinutes(20), settings.escalationTimeout());
        assertEquals(Duration.ofSeconds(600), settings.dedupWindow());
        var window = settings.environmentMaintenance().orElseThrow();
        assertEquals(Instant.parse("2026-11-27T01:00:00Z"), window.start());
        assertEquals(Instant.parse("2026-11-27T02:00:00Z"), window.end(), "offsets are normalised to UTC");
        assertTrue(settings.summaryEmail().enabled());
        assertEquals(List.of("sre@example.com", "oncall@example.com"), settings.summaryEmail().recipients());
        assertEquals(LocalTime.of(7, 30), settings.summaryEmail().time());
        assertEquals(ZoneId.of("Europe/Paris"), settings.summaryEmail().zone());
        assertEquals(URI.create("https://tocsin.example.com/dashboard"), settings.dashboardUrl().orElseThrow());
        assertEquals("prod-incidents", settings.tableName());
    }

    @Test
    void theDefaultsAreTheOriginalDesigns() {
        Settings settings = settings(env());
        assertEquals(Duration.ofSeconds(300), settings.dedupWindow());
        assertEquals(Duration.ofMinutes(15), settings.escalationTimeout());
        assertTrue(settings.environmentMaintenance().isEmpty());
        assertFalse(settings.pagerDuty().enabled(), "no key: PagerDuty stays off");
        assertFalse(settings.summaryEmail().enabled());
        assertEquals(LocalTime.of(8, 0), settings.summaryEmail().time());
        assertEquals(ZoneId.of("UTC"), settings.summaryEmail().zone());
        assertTrue(settings.dashboardUrl().isEmpty(), "no dashboard URL: incidents are named, not linked");
        assertEquals("tocsin-incidents", settings.tableName());
    }

    @Test
    void aKeyAloneTurnsPagerDutyOnAndDisabledWinsOverAKey() {
        assertTrue(settings(env("PAGERDUTY_INTEGRATION_KEY", "abcdefabcdefabcdefabcdefabcdef12")).pagerDuty().enabled());
        assertFalse(settings(env("PAGERDUTY_INTEGRATION_KEY", "abcdefabcdefabcdefabcdefabcdef12",
                "PAGERDUTY_ENABLED", "false")).pagerDuty().enabled());
    }

    @Test
    void maintenanceModeWithoutTimesIsAlwaysOn() {
        var window = settings(env("MAINTENANCE_MODE", "TRUE")).environmentMaintenance().orElseThrow();
        assertTrue(window.covers(Instant.parse("2000-01-01T00:00:00Z")));
        assertTrue(window.covers(Instant.parse("2100-01-01T00:00:00Z")));
    }

    private static void assertRejected(String variable, String expectedPart, String... pairs) {
        var error = assertThrows(ConfigurationException.class, () -> settings(env(pairs)));
        assertTrue(error.getMessage().startsWith(variable + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(expectedPart), error.getMessage());
    }

    @Test
    void badValuesNameTheirVariable() {
        assertRejected("MAINTENANCE_START", "ISO-8601", "MAINTENANCE_MODE", "true", "MAINTENANCE_START", "tomorrow 2am");
        assertRejected("MAINTENANCE_END", "ISO-8601", "MAINTENANCE_END", "2026-13-01T00:00:00Z");
        assertRejected("MAINTENANCE_END", "must be after MAINTENANCE_START", "MAINTENANCE_START",
                "2026-11-27T03:00:00Z", "MAINTENANCE_END", "2026-11-27T01:00:00Z");
        assertRejected("MAINTENANCE_MODE", "true or false", "MAINTENANCE_MODE", "sometimes");
        assertRejected("ALERT_DEDUP_WINDOW", "whole number", "ALERT_DEDUP_WINDOW", "5m");
        assertRejected("ALERT_DEDUP_WINDOW", "positive", "ALERT_DEDUP_WINDOW", "0");
        assertRejected("ALERT_ESCALATION_TIMEOUT", "whole number", "ALERT_ESCALATION_TIMEOUT", "soon");
        assertRejected("PAGERDUTY_ENABLED", "true or false", "PAGERDUTY_ENABLED", "yes please");
        assertRejected("PAGERDUTY_INTEGRATION_KEY", "required", "PAGERDUTY_ENABLED", "true");
        assertRejected("PAGERDUTY_INTEGRATION_KEY", "32-character", "PAGERDUTY_INTEGRATION_KEY", "short");
        assertRejected("ALERT_SUMMARY_EMAIL_RECIPIENTS", "not an email address",
                "ALERT_SUMMARY_EMAIL_RECIPIENTS", "sre@example.com, nobody");
        assertRejected("ALERT_SUMMARY_EMAIL_RECIPIENTS", "required", "ALERT_SUMMARY_EMAIL_ENABLED", "true");
        assertRejected("ALERT_SUMMARY_EMAIL_TIME", "HH:MM", "ALERT_SUMMARY_EMAIL_TIME", "8am");
    }

    @Test
    void badDailySummarySettingsNameTheirVariable() {
        assertRejected("ALERT_SUMMARY_EMAIL_RECIPIENTS", "'not-an-address' is not an email address",
                "ALERT_SUMMARY_EMAIL_ENABLED", "true", "ALERT_SUMMARY_EMAIL_RECIPIENTS", "not-an-address");
        assertRejected("ALERT_SUMMARY_EMAIL_RECIPIENTS", "not an email address",
                "ALERT_SUMMARY_EMAIL_RECIPIENTS", "sre@example.com,ops at example.com");
        assertRejected("ALERT_SUMMARY_EMAIL_ENABLED", "true or false", "ALERT_SUMMARY_EMAIL_ENABLED", "daily");
        for (String time : List.of("25:00", "24:00", "8am", "8:00", "08:60", "0800", "08:00:00")) {
            assertRejected("ALERT_SUMMARY_EMAIL_TIME", "HH:MM", "ALERT_SUMMARY_EMAIL_TIME", time);
        }
        assertEquals(LocalTime.of(23, 59), settings(env("ALERT_SUMMARY_EMAIL_TIME", "23:59")).summaryEmail().time());
        assertEquals(LocalTime.MIDNIGHT, settings(env("ALERT_SUMMARY_EMAIL_TIME", "00:00")).summaryEmail().time());
        assertRejected("TOCSIN_SUMMARY_ZONE", "time zone", "TOCSIN_SUMMARY_ZONE", "Mars/Olympus_Mons");
        assertRejected("TOCSIN_SUMMARY_ZONE", "time zone", "TOCSIN_SUMMARY_ZONE", "CEST+");
        assertEquals(ZoneId.of("+02:00"), settings(env("TOCSIN_SUMMARY_ZONE", "+02:00")).summaryEmail().zone());
        assertRejected("TOCSIN_DASHBOARD_URL", "absolute http(s) URL", "TOCSIN_DASHBOARD_URL", "/dashboard");
        assertRejected("TOCSIN_DASHBOARD_URL", "absolute http(s) URL", "TOCSIN_DASHBOARD_URL", "ftp://x.example/d");
        assertRejected("TOCSIN_DASHBOARD_URL", "not a URL", "TOCSIN_DASHBOARD_URL", "https://exa mple.com/dashboard");
        assertRejected("TOCSIN_DASHBOARD_URL", "#fragment", "TOCSIN_DASHBOARD_URL", "https://x.example/dashboard#top");
    }

    @Test
    void escalatingSeveritiesAreCriticalUnlessConfigured() {
        assertEquals(java.util.Set.of(io.tocsin.alert.Severity.CRITICAL), settings(env()).escalatingSeverities());
        assertEquals(java.util.Set.of(io.tocsin.alert.Severity.CRITICAL, io.tocsin.alert.Severity.HIGH),
                settings(env("TOCSIN_ESCALATE_SEVERITIES", "critical,HIGH")).escalatingSeverities());
        assertRejected("TOCSIN_ESCALATE_SEVERITIES", "not one of", "TOCSIN_ESCALATE_SEVERITIES", "critical,urgent");
    }

    @Test
    void theIntegrationKeyNeverAppearsInAMessage() {
        String key = "SECRETSECRETSECRETSECRETSECRET99";
        Settings settings = settings(env("PAGERDUTY_INTEGRATION_KEY", key));
        assertFalse(settings.pagerDuty().toString().contains(key), settings.pagerDuty().toString());
        var error = assertThrows(ConfigurationException.class,
                () -> settings(env("PAGERDUTY_INTEGRATION_KEY", "SECRET-but-too-short")));
        assertFalse(error.getMessage().contains("SECRET-but-too-short"), error.getMessage());
    }
}
