package io.tocsin.oncall.function;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.tocsin.oncall.Layer;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Target;

/** Whom a policy's first step reaches at an instant: its targets resolved to people (or a PagerDuty service). */
final class OnCallTargets {

    /** One reached target: {@code via} is the target's key ({@code schedule:primary}); a person or a PagerDuty ref. */
    record Reached(String via, String person, String pagerduty) {
    }

    private OnCallTargets() {
    }

    /** Empty when there is no such policy; a {@code policy} target is followed (validation refused loops). */
    static Optional<List<Reached>> firstStep(OnCallDocument document, String policyId, Instant at) {
        Optional<EscalationPolicy> policy = policy(document, policyId);
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        Set<Reached> reached = new LinkedHashSet<>();
        collect(document, policy.get(), at, reached, new LinkedHashSet<>());
        return Optional.of(new ArrayList<>(reached));
    }

    private static void collect(OnCallDocument document, EscalationPolicy policy, Instant at, Set<Reached> reached,
            Set<String> seen) {
        if (!seen.add(policy.id()) || policy.steps().isEmpty()) {
            return;
        }
        for (Target target : policy.steps().get(0).targets()) {
            switch (target.kind()) {
                case SCHEDULE -> OnCallReads.schedule(document, target.ref())
                        .flatMap(s -> ScheduleResolver.onCallAt(s, at))
                        .ifPresent(p -> reached.add(new Reached(target.key(), p, null)));
                case PERSON -> reached.add(new Reached(target.key(), target.ref(), null));
                case SCHEDULE_LAYER -> OnCallReads.schedule(document, target.ref()).stream()
                        .flatMap(s -> s.layers().stream()).filter(l -> l.id().equals(target.layer()))
                        .map(Layer::members).flatMap(List::stream)
                        .forEach(p -> reached.add(new Reached(target.key(), p, null)));
                case PAGERDUTY -> reached.add(new Reached(target.key(), null, target.ref()));
                case POLICY -> policy(document, target.ref())
                        .ifPresent(next -> collect(document, next, at, reached, seen));
            }
        }
    }

    private static Optional<EscalationPolicy> policy(OnCallDocument document, String id) {
        return document.policies().stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
