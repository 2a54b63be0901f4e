package io.tocsin.oncall.runtime;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.alert.Alert;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.AlertFacts;
import io.tocsin.oncall.policy.DueStep;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.store.OnCallSnapshot;

/**
 * Which escalation policy a new incident gets, from the routing of the on-call document ({@link OnCallSnapshot}: no
 * request while the container's copy is fresh), and what its first step sends. No routing, no matching rule and no
 * default, or an on-call configuration that cannot be read: no policy, and the incident behaves as before on-call
 * existed (PagerDuty and the stack's level escalation); a read failure is logged, never fails the alert.
 */
@Singleton
public class PolicyRouter {

    private static final Logger LOG = Logger.getLogger(PolicyRouter.class);

    /** A policy and the document it was read from (its people and schedules). */
    public record Routed(EscalationPolicy policy, OnCallDocument document) {
    }

    /** A new incident's policy and its first step, written with the incident. */
    public record FirstStep(String policy, StepNotices notices, Instant nextDue) {
    }

    private final OnCallSnapshot snapshot;

    @Inject
    public PolicyRouter(OnCallSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** The policy for {@code alert}, if routing gives one. */
    public Optional<Routed> route(Alert alert) {
        try {
            OnCallDocument document = snapshot.current();
            return document.routing().policyFor(facts(alert)).flatMap(id -> policy(document, id));
        } catch (RuntimeException e) {
            LOG.errorf("On-call routing not read, escalating %s as without a policy: %s", alert.dedupKey(), e);
            return Optional.empty();
        }
    }

    /** Policy {@code id} as the container's copy of the document has it (the sweep's next steps). */
    public Optional<Routed> policy(String id) {
        return policy(snapshot.current(), id);
    }

    /** The policy for {@code alert} and its first step, due at {@code at}; entries leased until {@code leaseUntil}. */
    public Optional<FirstStep> firstStep(Alert alert, Instant at, Instant leaseUntil) {
        return route(alert).map(r -> {
            var step = new DueStep(0, 0, at, r.policy().steps().get(0).targets());
            return new FirstStep(r.policy().id(), StepPlanner.plan(r.document(), r.policy(), step, at, leaseUntil),
                    PolicySlots.at(r.policy(), at, 1));
        });
    }

    private static Optional<Routed> policy(OnCallDocument document, String id) {
        return document.policies().stream().filter(p -> p.id().equals(id)).findFirst()
                .map(p -> new Routed(p, document));
    }

    /**
     * What routing matches: source, severity, and as labels the alert's top-level metadata values and those of a
     * {@code metadata.labels} object (Alertmanager's labels), as text. The token is not known here (yet): a rule
     * naming a token does not match (docs/oncall.md).
     */
    static AlertFacts facts(Alert alert) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (alert.metadata() != null) {
            alert.metadata().fields()
                    .forEachRemaining(e -> text(e.getValue()).ifPresent(v -> labels.put(e.getKey(), v)));
            JsonNode nested = alert.metadata().path("labels");
            nested.fields().forEachRemaining(e -> text(e.getValue()).ifPresent(v -> labels.putIfAbsent(e.getKey(), v)));
        }
        return new AlertFacts(alert.source(), alert.severity(), labels, null);
    }

    private static Optional<String> text(JsonNode value) {
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }
}
