package io.tocsin.entry;

import java.time.Clock;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.BodyLimit;
import io.tocsin.api.Problem;
import io.tocsin.config.SecretStore;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.Transition;
import io.tocsin.pagerduty.WebhookReceipts;
import io.tocsin.pagerduty.WebhookSignature;

/**
 * The {@code pagerduty-webhook} function (API Gateway {@code POST /pagerduty/webhook}, public but signed): applies
 * {@code incident.acknowledged} and {@code incident.resolved} of incidents Tocsin created (PagerDuty's incident_key is
 * Tocsin's incident id) as if done here, without sending anything back to PagerDuty. The signature is checked on the
 * raw body before the body is read; a redelivered webhook (same signed {@code event.id}) is applied once, and one
 * whose signed {@code occurred_at} is older than {@link #MAX_EVENT_AGE} is refused.
 */
public class PagerDutyWebhookFunction {

    private static final Logger LOG = Logger.getLogger(PagerDutyWebhookFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How old a delivery's signed {@code occurred_at} may be: PagerDuty retries a delivery for about 20 minutes
     * ({@code WebhookReceipts}); well under the day receipts are kept ({@code WebhookReceipts.RETENTION}), so that every replay
     * of a signed delivery is refused, by its receipt within the day and by its age after.
     */
    static final java.time.Duration MAX_EVENT_AGE = java.time.Duration.ofHours(6);

    @Inject
    SecretStore secrets;
    @Inject
    IncidentLifecycle lifecycle;
    @Inject
    WebhookReceipts receipts;
    @Inject
    Clock clock;

    @Funq("pagerduty-webhook")
    public JsonNode webhook(JsonNode event) {
        if (!ApiGateway.isProxyEvent(event)) {
            Answer answer = Answer.invalid(List.of(new Problem("(event)",
                    "must be an API Gateway request: the signature covers the raw HTTP body")));
            return answer.body();
        }
        ApiGateway.HttpRequest request = ApiGateway.request(event);
        if (request.bodyProblem() != null) {
            return request.unreadableBody();
        }
        Answer answer = handle(request);
        return ApiGateway.response(answer.status(), answer.body());
    }

    Answer handle(ApiGateway.HttpRequest request) {
        Answer tooLarge = BodyLimit.tooLarge(request.body());
        if (tooLarge != null) {
            return tooLarge;
        }
        String presented = request.header(WebhookSignature.HEADER);
        if (!WebhookSignature.wellFormed(presented)) {
            // cheapest first: no secret read, no HMAC, for a request that carries no signature at all
            return Answer.error(401, "unauthorized", List.of(new Problem(WebhookSignature.HEADER,
                    presented == null || presented.isBlank() ? "is missing"
                            : "must be v1=<64 hex digits> (PagerDuty webhooks v3)")));
        }
        if (!secrets.configured(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)) {
            LOG.warn("PagerDuty webhook refused: PAGERDUTY_WEBHOOK_SECRET is not configured");
            return Answer.error(401, "unauthorized", List.of(new Problem(WebhookSignature.HEADER,
                    "cannot be verified: PAGERDUTY_WEBHOOK_SECRET is not configured")));
        }
        String signature = request.header(WebhookSignature.HEADER);
        boolean verified = WebhookSignature.verify(request.body(), signature,
                secrets.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET));
        if (!verified && signature != null && secrets.refused(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET)) {
            // perhaps the secret was rotated: once more with the secret as it is now (read at most every 30 s)
            verified = WebhookSignature.verify(request.body(), signature,
                    secrets.list(SecretStore.Ref.PAGERDUTY_WEBHOOK_SECRET));
        }
        if (!verified) {
            return Answer.error(401, "unauthorized", List.of(new Problem(WebhookSignature.HEADER,
                    request.header(WebhookSignature.HEADER) == null ? "is missing" : "does not match the body")));
        }
        JsonNode body = ApiGateway.parseJson(request.body());
        if (body == null || !body.path("event").isObject()) {
            return Answer.error(400, "invalid_webhook", List.of(new Problem("event", "is missing or not an object")));
        }
        JsonNode webhookEvent = body.path("event");
        String type = webhookEvent.path("event_type").asText("");
        Problem stale = staleness(webhookEvent.path("occurred_at"));
        if (stale != null) {
            return Answer.error(400, "invalid_webhook", List.of(stale));
        }
        // the receipt is keyed on what is signed (the event's id; else the body's hash), never on a header
        String webhookId = webhookEvent.path("id").asText("").trim();
        if (webhookId.isEmpty()) {
            webhookId = "sha256:" + sha256(request.body());
        }
        if (receipts.seen(webhookId, clock.instant())) {
            return Answer.ok(result("duplicate", type, null));
        }
        String outcome = apply(type, webhookEvent, webhookId);
        receipts.record(webhookId, type, clock.instant());
        return Answer.ok(result(outcome, type, webhookEvent.path("data").path("incident_key").asText(null)));
    }

    /**
     * Null when the signed {@code event.occurred_at} is an ISO-8601 time no older than {@link #MAX_EVENT_AGE}: a
     * captured delivery replayed later is refused by its age, within it by its receipt.
     */
    private Problem staleness(JsonNode occurredAt) {
        java.time.Instant at;
        try {
            at = java.time.OffsetDateTime.parse(occurredAt.asText("")).toInstant();
        } catch (java.time.DateTimeException e) {
            return new Problem("event.occurred_at", "must be an ISO-8601 time (PagerDuty webhooks v3 send it)");
        }
        if (at.isBefore(clock.instant().minus(MAX_EVENT_AGE))) {
            return new Problem("event.occurred_at", "is " + at + ", more than " + MAX_EVENT_AGE.toHours()
                    + " h ago: a stale or replayed delivery (MAX_EVENT_AGE)");
        }
        return null;
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String apply(String type, JsonNode webhookEvent, String webhookId) {
        JsonNode data = webhookEvent.path("data");
        String incidentId = data.path("incident_key").asText("");
        if (!"incident.acknowledged".equals(type) && !"incident.resolved".equals(type)) {
            return "ignored";
        }
        if (incidentId.isBlank()) {
            return "not_ours";
        }
        String agent = webhookEvent.path("agent").path("summary").asText("");
        if (agent.isBlank()) {
            agent = "unknown agent";
        }
        Transition transition = "incident.acknowledged".equals(type)
                ? lifecycle.acknowledgedInPagerDuty(incidentId, agent, webhookId)
                : lifecycle.resolvedInPagerDuty(incidentId, agent, reason(data.path("resolve_reason")), webhookId);
        if (transition instanceof Transition.Applied) {
            return "applied";
        }
        if (transition instanceof Transition.NotFound) {
            return "not_ours";
        }
        return transition instanceof Transition.AlreadyDone ? "already_applied" : "conflict";
    }

    private static String reason(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return node.path("type").asText(node.toString());
    }

    private static ObjectNode result(String outcome, String type, String incidentId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("result", outcome);
        body.put("event_type", type);
        body.put("incident_id", incidentId);
        return body;
    }
}
