package io.tocsin.store;

import java.time.Duration;
import java.util.Optional;

import io.tocsin.config.AlertConfig;
import io.tocsin.config.MaintenanceModeConfig;
import io.tocsin.config.PagerDutyConfig;
import io.tocsin.config.Settings;
import io.tocsin.config.TocsinConfig;

/**
 * A real {@link Settings} built by hand, without Quarkus: the config interfaces are implemented by small records
 * holding the same values as the production defaults (dedup window 300 s, escalation 15 min, PagerDuty off, no
 * maintenance, no summary email).
 */
public final class TestSettings {

    public static final long DEDUP_WINDOW_SECONDS = 300;
    public static final long ESCALATION_TIMEOUT_MINUTES = 15;

    private TestSettings() {
    }

    public static Settings settings(String tableName) {
        return new Settings(
                new Alert(Long.toString(DEDUP_WINDOW_SECONDS), Long.toString(ESCALATION_TIMEOUT_MINUTES),
                        new SummaryEmail("false", Optional.empty(), "08:00")),
                new Maintenance("false", Optional.empty(), Optional.empty()),
                new PagerDuty(Optional.of("false"), Optional.empty(), Optional.empty()),
                new Tocsin(tableName, new Ingest(Duration.ofSeconds(45)),
                        new Delivery(3, Duration.ofMillis(250), Duration.ofSeconds(60))));
    }

    record Alert(String dedupWindow, String escalationTimeout, AlertConfig.SummaryEmail summaryEmail)
            implements AlertConfig {
    }

    record SummaryEmail(String enabled, Optional<String> recipients, String time) implements AlertConfig.SummaryEmail {
    }

    record Maintenance(String mode, Optional<String> start, Optional<String> end) implements MaintenanceModeConfig {
    }

    record PagerDuty(Optional<String> enabled, Optional<String> integrationKey, Optional<String> apiKey)
            implements PagerDutyConfig {
        @Override
        public Optional<String> webhookSecret() {
            return Optional.empty();
        }

        @Override
        public Optional<String> integrationKeySecretName() {
            return Optional.empty();
        }

        @Override
        public Optional<String> apiKeySecretName() {
            return Optional.empty();
        }

        @Override
        public Optional<String> webhookSecretName() {
            return Optional.empty();
        }
    }

    record Tocsin(String tableName, TocsinConfig.Ingest ingest, TocsinConfig.Delivery delivery)
            implements TocsinConfig {
        @Override
        public java.util.Set<String> escalateSeverities() {
            return java.util.Set.of("critical");
        }

        @Override
        public TocsinConfig.Summary summary() {
            return () -> "UTC";
        }

        @Override
        public Optional<String> dashboardUrl() {
            return Optional.empty();
        }

        @Override
        public Optional<String> ackTimeout() {
            return Optional.empty();
        }

        @Override
        public java.time.Duration retention() {
            return java.time.Duration.ofDays(400);
        }

        @Override
        public TocsinConfig.Sweep sweep() {
            return new TocsinConfig.Sweep() {
                @Override
                public Duration budget() {
                    return Duration.ofSeconds(100);
                }

                @Override
                public Duration stepMargin() {
                    return Duration.ofSeconds(31);
                }
            };
        }
    }

    record Ingest(Duration claimLease) implements TocsinConfig.Ingest {
    }

    record Delivery(int attemptsPerInvocation, Duration initialBackoff, Duration pendingRetryDelay)
            implements TocsinConfig.Delivery {
        @Override
        public Duration lease() {
            return Duration.ofSeconds(60);
        }

        @Override
        public int maxAttempts() {
            return 12;
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofMinutes(30);
        }

        @Override
        public int maxPerSweep() {
            return 100;
        }
    }
}
