package io.tocsin.escalation;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.config.Settings;
import io.tocsin.incident.Incident;
import io.tocsin.notify.EmailNotifier;
import io.tocsin.pagerduty.PagerDutyRestApi;

/**
 * What an escalation does beyond the timeline: with {@code PAGERDUTY_API_KEY}, raise the PagerDuty incident's
 * escalation level through the REST API; without it, email the escalation recipients. Returns what happened, for the
 * timeline; never throws.
 */
@Singleton
public class EscalationAction {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PagerDutyRestApi rest;
    private final EmailNotifier email;
    private final Settings settings;
    private final EscalationConfig config;

    @Inject
    public EscalationAction(@RestClient PagerDutyRestApi rest, EmailNotifier email, Settings settings,
            EscalationConfig config) {
        this.rest = rest;
        this.email = email;
        this.settings = settings;
        this.config = config;
    }

    public String escalate(Incident incident, int level) {
        if (settings.pagerDuty().apiKey().isPresent()) {
            return throughPagerDuty(incident, level);
        }
        List<String> recipients = config.recipients().orElse(settings.summaryEmail().recipients());
        return email.send(recipients, "[Tocsin] Escalated to level " + level + ": " + incident.alert().title(),
                "Incident " + incident.id() + " (" + incident.alert().severity().wire() + ", source "
                        + incident.alert().source() + ") has not been acknowledged since " + incident.createdAt()
                        + ".\nIt is now at escalation level " + level + ".\n\n" + incident.alert().description());
    }

    private String throughPagerDuty(Incident incident, int level) {
        String auth = "Token token=" + settings.pagerDuty().apiKey().orElseThrow().value();
        try (Response found = rest.findByIncidentKey(auth, incident.id())) {
            if (found.getStatus() != 200) {
                return "PagerDuty REST lookup failed: HTTP " + found.getStatus();
            }
            JsonNode incidents = JSON.readTree(found.readEntity(String.class)).path("incidents");
            if (!incidents.isArray() || incidents.isEmpty()) {
                return "PagerDuty has no incident with incident_key " + incident.id();
            }
            String pagerDutyId = incidents.get(0).path("id").asText();
            String body = JSON.createObjectNode().set("incident", JSON.createObjectNode()
                    .put("type", "incident_reference").put("escalation_level", level)).toString();
            try (Response updated = rest.update(auth, config.from().orElse(""), pagerDutyId, body)) {
                return updated.getStatus() == 200 ? "PagerDuty incident " + pagerDutyId + " raised to level " + level
                        : "PagerDuty refused the escalation of " + pagerDutyId + ": HTTP " + updated.getStatus();
            }
        } catch (Exception e) {
            return "PagerDuty REST escalation failed: " + e.getMessage();
        }
    }
}
