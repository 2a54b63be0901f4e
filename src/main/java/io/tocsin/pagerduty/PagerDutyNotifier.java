package io.tocsin.pagerduty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;
import io.tocsin.config.SecretStore;
import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.notify.Effect;
import io.tocsin.notify.Notifier;
import io.tocsin.notify.Outcome;
import io.tocsin.notify.Texts;

/**
 * Sends one Events API v2 event and says how it went (developer-docs events-API-v2): 202 → delivered; 429, 5xx and
 * network errors → retry after (a 429 means the event was not taken); 400 and any other status → failed for good,
 * with PagerDuty's errors. One HTTP attempt per call: retries, backoff and giving up are the outbox's. A trigger of a
 * critical or high incident that fails for good falls back to the failed-page email.
 */
@Singleton
public class PagerDutyNotifier implements Notifier {

    private static final Logger LOG = Logger.getLogger(PagerDutyNotifier.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What of an unexpected response body is kept as the error text. */
    private static final int MAX_ERROR_CHARS = 300;

    private final PagerDutyEventsApi api;
    private final Settings settings;
    private final SecretStore secrets;

    @Inject
    public PagerDutyNotifier(@RestClient PagerDutyEventsApi api, Settings settings, SecretStore secrets) {
        this.api = api;
        this.settings = settings;
        this.secrets = secrets;
    }

    @Override
    public EffectKind kind() {
        return EffectKind.PAGERDUTY_EVENT;
    }

    /** PAGERDUTY_ENABLED: when false, events are recorded as not sent (disabled). */
    @Override
    public boolean enabled() {
        return settings.pagerDuty().enabled();
    }

    /** The invocation that caused an event tries it a few times: a page should not wait for the sweep. */
    @Override
    public boolean retriesInCaller() {
        return true;
    }

    @Override
    public Outcome send(Effect effect) {
        PagerDutyAction action = effect.entry().action();
        Outcome outcome = send(action, effect.incidentId(), effect.alert());
        if (outcome instanceof Outcome.FailedForGood refused) {
            LOG.warnf("PagerDuty refused the %s of incident %s (HTTP %d): %s", action.wire(), effect.incidentId(),
                    refused.status(), Texts.log(refused.reason()));
        }
        return outcome;
    }

    /** A trigger of a critical or high incident that PagerDuty did not take still reaches people, by email. */
    @Override
    public List<OutboxEntry> fallbacks(OutboxEntry failed, Alert alert, Instant now) {
        boolean urgent = alert.severity() == Severity.CRITICAL || alert.severity() == Severity.HIGH;
        return failed.action() == PagerDutyAction.TRIGGER && urgent
                ? List.of(OutboxEntry.pending(EffectKind.PAGE_FAILED_EMAIL, null, 0, now, null))
                : List.of();
    }

    /**
     * Sends {@code action} for incident {@code incidentId}, whose PagerDuty dedup_key is its id (a trigger carries the
     * alert; an acknowledge or resolve needs only the key).
     */
    public Outcome send(PagerDutyAction action, String incidentId, Alert alert) {
        String key;
        try {
            key = secrets.get(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY).orElseThrow().value();
        } catch (RuntimeException unreadable) {
            // Secrets Manager unreachable, or the secret wrong: the event stays pending (the sweep tries again)
            return new Outcome.RetryAfter(0, "integration key not readable: " + shorten(unreadable.getMessage()));
        }
        byte[] event = action == PagerDutyAction.TRIGGER ? EventsV2.trigger(key, incidentId, alert)
                : EventsV2.action(key, incidentId, action.wire());
        try (Response response = api.enqueue(new String(event, StandardCharsets.UTF_8))) {
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (status == 202) {
                return new Outcome.Delivered(status, "PagerDuty " + action.wire() + " accepted");
            }
            String errors = String.join("; ", errorsOf(status, body));
            if (status == 400 || status == 401 || status == 403) {
                // perhaps a rotated key: the next event reads the secret again (at most every 30 s)
                secrets.refused(SecretStore.Ref.PAGERDUTY_INTEGRATION_KEY);
            }
            return status == 429 || status >= 500 ? new Outcome.RetryAfter(status, errors)
                    : new Outcome.FailedForGood(status, errors);
        } catch (RuntimeException network) {
            // timeouts, refused connections, resets: PagerDuty may or may not have taken the event; another attempt is
            // safe because the dedup_key makes a repeated event land on the same alert.
            String cause = network.getCause() != null ? network.getCause().toString() : network.toString();
            return new Outcome.RetryAfter(0, "network: " + shorten(cause));
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

    static String shorten(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
