package io.tocsin.pagerduty;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.config.EscalationConfig;
import io.tocsin.config.SecretStore;
import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.notify.Effect;
import io.tocsin.notify.Notifier;
import io.tocsin.notify.Outcome;

/**
 * Raises a PagerDuty incident's escalation level through the REST API v2 (api-schema reference/REST/openapiv3.json):
 * find the incident of the Events API dedup key, then {@code PUT /incidents/{id}} with the level. 429, 5xx and network
 * errors → retry after; no such incident or any other refusal → failed for good (the outbox then emails instead).
 */
@Singleton
public class PagerDutyEscalations implements Notifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PagerDutyRestApi rest;
    private final Settings settings;
    private final EscalationConfig config;
    private final SecretStore secrets;

    @Inject
    public PagerDutyEscalations(@RestClient PagerDutyRestApi rest, Settings settings, EscalationConfig config,
            SecretStore secrets) {
        this.rest = rest;
        this.settings = settings;
        this.config = config;
        this.secrets = secrets;
    }

    /** Whether escalations go through PagerDuty's REST API (PAGERDUTY_API_KEY, or its secret, set) rather than email. */
    public boolean configured() {
        return secrets.configured(SecretStore.Ref.PAGERDUTY_API_KEY);
    }

    @Override
    public EffectKind kind() {
        return EffectKind.PAGERDUTY_ESCALATION;
    }

    /** Escalates only an incident whose trigger PagerDuty accepted (else there is no PagerDuty incident to raise). */
    @Override
    public Outcome send(Effect effect) {
        return effect.triggerDelivered() ? escalate(effect.incidentId(), effect.entry().level())
                : new Outcome.FailedForGood(0, "PagerDuty has not accepted this incident's trigger");
    }

    /** A REST escalation that failed for good is emailed instead, at the same level. */
    @Override
    public List<OutboxEntry> fallbacks(OutboxEntry failed, Alert alert, Instant now) {
        return List.of(OutboxEntry.pending(EffectKind.ESCALATION_EMAIL, null, failed.level(), now, null));
    }

    public Outcome escalate(String incidentId, int level) {
        String auth;
        try {
            auth = "Token token=" + secrets.get(SecretStore.Ref.PAGERDUTY_API_KEY).orElseThrow().value();
        } catch (RuntimeException unreadable) {
            // Secrets Manager unreachable, or the secret wrong: the escalation stays pending
            return new Outcome.RetryAfter(0, "REST API key not readable: " + unreadable.getMessage());
        }
        try (Response found = rest.findByIncidentKey(auth, incidentId)) {
            if (found.getStatus() != 200) {
                return refused("PagerDuty REST lookup", found.getStatus(), found);
            }
            JsonNode incidents = JSON.readTree(found.readEntity(String.class)).path("incidents");
            if (!incidents.isArray() || incidents.isEmpty()) {
                return new Outcome.FailedForGood(200, "PagerDuty has no incident with incident_key " + incidentId);
            }
            String pagerDutyId = incidents.get(0).path("id").asText();
            String body = JSON.createObjectNode().set("incident", JSON.createObjectNode()
                    .put("type", "incident_reference").put("escalation_level", level)).toString();
            try (Response updated = rest.update(auth, config.from().orElse(""), pagerDutyId, body)) {
                if (updated.getStatus() == 200) {
                    return new Outcome.Delivered(200, "PagerDuty incident " + pagerDutyId + " raised to level " + level);
                }
                return refused("PagerDuty escalation of " + pagerDutyId, updated.getStatus(), updated);
            }
        } catch (java.io.IOException | RuntimeException e) {
            String cause = e.getCause() != null ? e.getCause().toString() : e.toString();
            return new Outcome.RetryAfter(0, "network: " + PagerDutyNotifier.shorten(cause));
        }
    }

    private Outcome refused(String what, int status, Response response) {
        if (status == 401 || status == 403) {
            secrets.refused(SecretStore.Ref.PAGERDUTY_API_KEY); // perhaps a rotated key: read again next time
        }
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        String reason = what + ": " + String.join("; ", PagerDutyNotifier.errorsOf(status, body));
        return status == 429 || status >= 500 ? new Outcome.RetryAfter(status, reason)
                : new Outcome.FailedForGood(status, reason);
    }
}
