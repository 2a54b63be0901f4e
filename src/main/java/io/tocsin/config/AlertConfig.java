package io.tocsin.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The {@code ALERT_*} environment variables of the original design, read as text and checked by {@link Settings} so
 * that a bad value stops start-up with a message naming the variable.
 */
@ConfigMapping(prefix = "alert")
public interface AlertConfig {

    /** {@code ALERT_DEDUP_WINDOW}: seconds during which the same dedup key is suppressed. */
    @WithDefault("300")
    String dedupWindow();

    /** {@code ALERT_ESCALATION_TIMEOUT}: minutes before an unacknowledged critical incident escalates. */
    @WithDefault("15")
    String escalationTimeout();

    SummaryEmail summaryEmail();

    interface SummaryEmail {
        /** {@code ALERT_SUMMARY_EMAIL_ENABLED} */
        @WithDefault("false")
        String enabled();

        /** {@code ALERT_SUMMARY_EMAIL_RECIPIENTS}: comma-separated addresses. */
        Optional<String> recipients();

        /** {@code ALERT_SUMMARY_EMAIL_TIME}: HH:MM, in {@code TOCSIN_SUMMARY_ZONE} (UTC by default). */
        @WithDefault("08:00")
        String time();
    }
}
