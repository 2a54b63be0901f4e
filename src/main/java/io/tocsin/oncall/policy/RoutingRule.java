package io.tocsin.oncall.policy;

import io.tocsin.alert.Severity;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Send matching incidents to {@code policy}. Every condition given must hold; an absent one (null or empty) matches
 * anything: the source starts with {@code sourcePrefix}, the severity is one of {@code severities}, every label in
 * {@code labels} has that exact value, the alert came with token {@code token}.
 */
public record RoutingRule(String sourcePrefix, Set<Severity> severities, Map<String, String> labels, String token,
        String policy) {

    public RoutingRule {
        severities = Set.copyOf(severities);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(policy, "policy");
    }

    public boolean matches(AlertFacts alert) {
        return (sourcePrefix == null || (alert.source() != null && alert.source().startsWith(sourcePrefix)))
                && (severities.isEmpty() || severities.contains(alert.severity()))
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(alert.labels().get(e.getKey())))
                && (token == null || token.equals(alert.token()));
    }
}
