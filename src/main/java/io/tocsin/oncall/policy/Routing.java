package io.tocsin.oncall.policy;

import java.util.List;
import java.util.Optional;

/**
 * Which policy an incident gets: the first matching rule's, else {@code defaultPolicy}. Empty when neither applies:
 * the incident then behaves as before on-call existed (PagerDuty and the email escalation of the stack's config).
 */
public record Routing(List<RoutingRule> rules, String defaultPolicy) {

    public static final Routing NONE = new Routing(List.of(), null);

    public Routing {
        rules = List.copyOf(rules);
    }

    public Optional<String> policyFor(AlertFacts alert) {
        return rules.stream().filter(r -> r.matches(alert)).map(RoutingRule::policy).findFirst()
                .or(() -> Optional.ofNullable(defaultPolicy));
    }
}
