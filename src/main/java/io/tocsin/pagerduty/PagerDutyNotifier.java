package io.tocsin.pagerduty;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.delivery.Delivery;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.time.Sleeper;

/**
 * Sends events to PagerDuty and says how it went. 202 → delivered; 400 (and other 4xx but 429) → failed, PagerDuty's
 * errors kept, never retried; 429, 5xx and network errors → retried a few times with doubling backoff inside the
 * invocation, then left pending with the time of the next attempt, for the sweep.
 */
@Singleton
public class PagerDutyNotifier {

    private static final Logger LOG = Logger.getLogger(PagerDutyNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Errors kept per delivery, newest last. */
    private static final int MAX_KEPT_ERRORS = 10;
    /** What of an unexpected response body is kept as the error text. */
    private static final int MAX_ERROR_CHARS = 300;

    private final PagerDutyEventsApi api;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    @Inject
    public PagerDutyNotifier(@RestClient PagerDutyEventsApi api, Settings settings, Clock clock, Sleeper sleeper) {
        this.api = api;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public boolean enabled() {
        return settings.pagerDuty().enabled();
    }

    /** Triggers the PagerDuty alert of incident {@code incidentId}. */
    public Delivery trigger(String incidentId, Alert alert) {
        if (!enabled()) {
            return Delivery.disabled();
        }
        String key = settings.pagerDuty().integrationKey().orElseThrow().value();
        return send(EventsV2.trigger(key, incidentId, alert), incidentId);
    }

    /**
     * Sends the acknowledge or resolve of incident {@code incidentId} (whose PagerDuty dedup key is its id), under the
     * same delivery rules as the trigger.
     */
    public Delivery follow(String incidentId, PagerDutyAction action) {
        if (action == PagerDutyAction.TRIGGER) {
            throw new IllegalArgumentException("a trigger needs its alert: use trigger()");
        }
        if (!enabled()) {
            return Delivery.disabled();
        }
        String key = settings.pagerDuty().integrationKey().orElseThrow().value();
        return send(EventsV2.action(key, incidentId, action.wire()), incidentId);
    }

    /**
     * One more attempt at a pending event (the sweep's redelivery): delivered, failed for good, or pending again with
     * exponential backoff and jitter. After {@code tocsin.delivery.max-attempts} attempts in all, a retryable failure
     * becomes {@link DeliveryState#FAILED}: nothing waits forever.
     */
    public Delivery redeliver(String incidentId, Alert alert, PagerDutyAction action, Delivery previous) {
        if (!enabled()) {
            return Delivery.disabled();
        }
        String key = settings.pagerDuty().integrationKey().orElseThrow().value();
        byte[] event = action == PagerDutyAction.TRIGGER ? EventsV2.trigger(key, incidentId, alert)
                : EventsV2.action(key, incidentId, action.wire());
        int attempts = previous.attempts() + 1;
        Attempt result = attempt(event);
        List<String> errors = new ArrayList<>(previous.errors());
        errors.addAll(result.errors());
        errors = errors.size() > MAX_KEPT_ERRORS ? errors.subList(errors.size() - MAX_KEPT_ERRORS, errors.size()) : errors;
        if (result.status() == 202) {
            return new Delivery(DeliveryState.DELIVERED, attempts, 202, errors, null, false);
        }
        if (!result.retryable()) {
            return new Delivery(DeliveryState.FAILED, attempts, result.status(), errors, null, false);
        }
        if (attempts >= settings.delivery().maxAttempts()) {
            errors.add("gave up after " + attempts + " attempts");
            return new Delivery(DeliveryState.FAILED, attempts, result.status(), errors, null, true);
        }
        return new Delivery(DeliveryState.PENDING, attempts, result.status(), errors,
                clock.instant().plus(backoff(attempts)), true);
    }

    /** Exponential from the pending retry delay, capped, with ±20 % jitter so that a backlog does not retry in step. */
    Duration backoff(int attempts) {
        Duration base = settings.delivery().pendingRetryDelay();
        int doublings = Math.min(Math.max(attempts - settings.delivery().attemptsPerInvocation(), 0), 16);
        Duration delay = base.multipliedBy(1L << doublings);
        Duration cap = settings.delivery().maxBackoff();
        if (delay.compareTo(cap) > 0) {
            delay = cap;
        }
        long jitterMillis = (long) (delay.toMillis() * 0.2 * (2 * java.util.concurrent.ThreadLocalRandom.current()
                .nextDouble() - 1));
        return delay.plusMillis(jitterMillis);
    }

    private Delivery send(byte[] event, String incidentId) {
        int attempts = settings.delivery().attemptsPerInvocation();
        Duration backoff = settings.delivery().initialBackoff();
        List<String> errors = new ArrayList<>();
        int lastStatus = 0;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Attempt result = attempt(event);
            lastStatus = result.status();
            if (result.status() == 202) {
                return new Delivery(DeliveryState.DELIVERED, attempt, 202, errors, null, false);
            }
            errors.addAll(result.errors());
            if (!result.retryable()) {
                LOG.warnf("PagerDuty refused the event of incident %s (HTTP %d): %s", incidentId, result.status(),
                        result.errors());
                return new Delivery(DeliveryState.FAILED, attempt, result.status(), errors, null, false);
            }
            if (attempt < attempts) {
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        var next = clock.instant().plus(settings.delivery().pendingRetryDelay());
        LOG.warnf("PagerDuty unavailable for incident %s after %d attempts; pending until %s: %s", incidentId,
                attempts, next, errors);
        return new Delivery(DeliveryState.PENDING, attempts, lastStatus, errors, next, true);
    }

    private record Attempt(int status, boolean retryable, List<String> errors) {
    }

    private Attempt attempt(byte[] event) {
        try (Response response = api.enqueue(new String(event, StandardCharsets.UTF_8))) {
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (status == 202) {
                return new Attempt(status, false, List.of());
            }
            boolean retryable = status == 429 || status >= 500;
            return new Attempt(status, retryable, errorsOf(status, body));
        } catch (RuntimeException network) {
            // timeouts, refused connections, resets: PagerDuty may not have seen the event; retrying is safe because
            // the dedup_key makes a repeated trigger land on the same alert.
            String cause = network.getCause() != null ? network.getCause().toString() : network.toString();
            return new Attempt(0, true, List.of("network: " + shorten(cause)));
        }
    }

    static List<String> errorsOf(int status, String body) {
        List<String> errors = new ArrayList<>();
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                String message = json.path("message").asText("");
                errors.add("HTTP " + status + (message.isEmpty() ? "" : ": " + message));
                json.path("errors").forEach(e -> errors.add(e.asText()));
                if (json.path("error").isObject()) {
                    errors.add(json.path("error").path("message").asText());
                }
                return errors;
            }
        } catch (java.io.IOException notJson) {
            // fall through to the raw text
        }
        errors.add("HTTP " + status + (body.isBlank() ? "" : ": " + shorten(body)));
        return errors;
    }

    private static String shorten(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
