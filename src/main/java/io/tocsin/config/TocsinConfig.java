package io.tocsin.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tocsin's own settings ({@code TOCSIN_*}); the defaults suit AWS Lambda. */
@ConfigMapping(prefix = "tocsin")
public interface TocsinConfig {

    /** {@code TOCSIN_TABLE_NAME}: the incident table. */
    @WithDefault("tocsin-incidents")
    String tableName();

    /**
     * {@code TOCSIN_ESCALATE_SEVERITIES}: the severities whose unacknowledged incidents escalate (comma-separated);
     * critical only by default.
     */
    @WithDefault("critical")
    java.util.Set<String> escalateSeverities();

    /**
     * {@code TOCSIN_ACK_TIMEOUT}: an acknowledged incident not resolved within this time returns to triggered and pages
     * again: one duration for every severity ({@code 30m}) or per severity ({@code critical=30m,high=2h}); unset or
     * empty: off.
     */
    Optional<String> ackTimeout();

    /**
     * {@code TOCSIN_RETENTION}: how long a closed (resolved or suppressed) incident is kept, timeline and outbox
     * included, before DynamoDB's time to live deletes it; {@code 0} keeps closed incidents for ever. The hourly
     * metrics rollups are kept either way. At least {@link Settings#MIN_RETENTION}.
     */
    @WithDefault("400d")
    Duration retention();

    Ingest ingest();

    Delivery delivery();

    Summary summary();

    Sweep sweep();

    interface Sweep {
        /**
         * {@code TOCSIN_SWEEP_BUDGET}: how long one run of the escalation sweep may work; it starts no new step after
         * that. Below the function's Lambda timeout (template.yaml: 120 s) by more than {@link #stepMargin()}.
         */
        @WithDefault("100s")
        Duration budget();

        /**
         * {@code TOCSIN_SWEEP_STEP_MARGIN}: the longest one step may take (a PagerDuty call: connect 2 s + read 5 s,
         * three in a caller; two SMTP attempts of 15 s); no step starts unless it can end inside the budget.
         */
        @WithDefault("31s")
        Duration stepMargin();
    }

    /**
     * {@code TOCSIN_DASHBOARD_URL}: the dashboard's address (e.g. {@code https://…/dashboard}); the daily summary links
     * each unresolved incident to {@code <url>#incident-<id>}. Unset: incidents are named by id, without a link.
     */
    Optional<String> dashboardUrl();

    interface Summary {
        /**
         * {@code TOCSIN_SUMMARY_ZONE}: the time zone of {@code ALERT_SUMMARY_EMAIL_TIME} and of the date in the daily
         * summary's subject (an IANA name such as {@code Europe/Paris}, or {@code UTC}).
         */
        @WithDefault("UTC")
        String zone();
    }

    interface Ingest {
        /**
         * How long the invocation that claimed a dedup key has to record its incident before a retry of the same
         * alert may take the work over. Longer than the in-invocation PagerDuty retries, shorter than Lambda's
         * first asynchronous retry (about one minute).
         */
        @WithDefault("45s")
        Duration claimLease();
    }

    interface Delivery {
        /**
         * How long a sender holds an outbox entry (the invocation that wrote it, or the sweep that took it): longer
         * than its longest send (three PagerDuty attempts of at most 7 s with backoff; two SMTP attempts of at most
         * 15 s) and than the Lambda timeouts of the functions that send (30 s), so that a live sender is never
         * overtaken; a dead one's entry is taken over by the sweep after it.
         */
        @WithDefault("60s")
        Duration lease();

        /** PagerDuty attempts inside one invocation before the delivery is left pending for the sweep. */
        @WithDefault("3")
        int attemptsPerInvocation();

        /** Backoff before the second attempt; doubles for each further attempt. */
        @WithDefault("250ms")
        Duration initialBackoff();

        /** When a pending delivery is next due after the in-invocation attempts failed. */
        @WithDefault("60s")
        Duration pendingRetryDelay();

        /** Attempts in all (in the invocation and by the sweep) before a delivery is given up as failed. */
        @WithDefault("12")
        int maxAttempts();

        /** The longest wait between two redelivery attempts. */
        @WithDefault("30m")
        Duration maxBackoff();

        /**
         * Events the sweep sends per run. PagerDuty accepts about 120 events a minute per integration key
         * (developer-docs events-API-v2 rate limits) and the sweep runs every minute.
         */
        @WithDefault("100")
        int maxPerSweep();
    }
}
