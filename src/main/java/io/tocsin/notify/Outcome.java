package io.tocsin.notify;

import java.time.Duration;

/**
 * What one attempt at an outward effect came to, the one result type of every notifier (PagerDuty Events, PagerDuty
 * REST, email), the way Alertmanager's notifiers return {@code (retry bool, err error)}: delivered, worth another try
 * later, or failed for good. Notifiers never throw for the receiver's failures; they say which of the three it was.
 */
public sealed interface Outcome {

    /** @return HTTP status of the attempt, 0 when there was none (network error, SMTP) */
    int status();

    /** The receiver took it. {@code detail} says what happened, for the timeline. */
    record Delivered(int status, String detail) implements Outcome {
    }

    /**
     * Not taken, but may be on another attempt (429, 5xx, network error, SMTP failure).
     *
     * @param after how long the receiver asked us to wait, or null to use Tocsin's own backoff
     */
    record RetryAfter(int status, String reason, Duration after) implements Outcome {
        public RetryAfter(int status, String reason) {
            this(status, reason, null);
        }
    }

    /** Refused, and trying again cannot help (400, other 4xx, nothing to send it to). */
    record FailedForGood(int status, String reason) implements Outcome {
    }
}
