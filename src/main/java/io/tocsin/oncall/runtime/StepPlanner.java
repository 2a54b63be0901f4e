package io.tocsin.oncall.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.oncall.ContactKind;
import io.tocsin.oncall.ContactMethod;
import io.tocsin.oncall.Layer;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.policy.DueStep;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Target;

/**
 * The notifications of one due step: its targets expanded to people (a schedule: whoever is on call at the step's
 * time; a layer: every member; a policy: that policy's first step's targets) and to PagerDuty; one entry per person
 * (and one trigger for PagerDuty) however many targets name them. A person is emailed at the address of their first
 * notification rule whose method is a usable email (no rules: their first usable email). Entry ids are deterministic
 * ({@code oc-<policy start>-<pass>-<step>-<recipient>}), so a step planned twice plans the same entries.
 */
public final class StepPlanner {

    private StepPlanner() {
    }

    public static StepNotices plan(OnCallDocument document, EscalationPolicy policy, DueStep step, Instant start,
            Instant leaseUntil) {
        Map<String, String> people = new LinkedHashMap<>(); // person id -> email address, or null when unreachable
        List<String> notes = new ArrayList<>();
        boolean pagerDuty = false;
        for (Target target : expand(document, step.targets(), new HashSet<>(Set.of(policy.id())))) {
            switch (target.kind()) {
                case PAGERDUTY -> pagerDuty = true;
                case PERSON -> people.putIfAbsent(target.ref(), null);
                case SCHEDULE -> schedule(document, target.ref()).flatMap(s -> ScheduleResolver.onCallAt(s, step.at()))
                        .ifPresentOrElse(p -> people.putIfAbsent(p, null),
                                () -> notes.add("nobody on call on schedule " + target.ref()));
                case SCHEDULE_LAYER -> layerMembers(document, target).forEach(p -> people.putIfAbsent(p, null));
                default -> notes.add("target " + target.key() + " not understood");
            }
        }
        String prefix = "oc-" + Long.toString(start.toEpochMilli(), 36) + "-" + step.pass() + "-" + step.step() + "-";
        int level = step.pass() * policy.steps().size() + step.step() + 1;
        List<OutboxEntry> entries = new ArrayList<>();
        List<String> emailed = new ArrayList<>();
        if (pagerDuty) {
            entries.add(OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, PagerDutyAction.TRIGGER, 0, step.at(), null)
                    .withId(prefix + "pagerduty"));
        }
        for (String personId : people.keySet()) {
            Optional<String> address = person(document, personId).flatMap(StepPlanner::emailOf);
            if (address.isEmpty()) {
                notes.add(personId + " has no usable email: not notified");
                continue;
            }
            entries.add(OutboxEntry.pending(EffectKind.ONCALL_EMAIL, null, level, step.at(), leaseUntil)
                    .withId(prefix + Integer.toHexString(personId.hashCode()) + "-" + safe(personId))
                    .addressedTo(address.get()));
            emailed.add(personId);
        }
        String detail = "policy " + policy.id() + " step " + (step.step() + 1) + " of " + policy.steps().size()
                + (policy.repeats() > 0 ? " (pass " + (step.pass() + 1) + " of " + (policy.repeats() + 1) + ")" : "")
                + ": " + (emailed.isEmpty() ? "no one emailed" : "email " + String.join(", ", emailed))
                + (pagerDuty ? "; PagerDuty" : "") + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new StepNotices(entries, detail, pagerDuty);
    }

    /** Policy targets replaced by the targets of that policy's first step (a loop is refused by validation). */
    private static List<Target> expand(OnCallDocument document, List<Target> targets, Set<String> seen) {
        List<Target> out = new ArrayList<>();
        for (Target target : targets) {
            if (target.kind() != io.tocsin.oncall.policy.TargetKind.POLICY) {
                out.add(target);
            } else if (seen.add(target.ref())) {
                document.policies().stream().filter(p -> p.id().equals(target.ref())).findFirst()
                        .ifPresent(p -> out.addAll(expand(document, p.steps().get(0).targets(), seen)));
            }
        }
        return out;
    }

    private static Optional<Schedule> schedule(OnCallDocument document, String id) {
        return document.schedules().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private static Optional<Person> person(OnCallDocument document, String id) {
        return document.people().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private static List<String> layerMembers(OnCallDocument document, Target target) {
        return schedule(document, target.ref()).stream().flatMap(s -> s.layers().stream())
                .filter(l -> l.id().equals(target.layer())).findFirst().map(Layer::members).orElse(List.of());
    }

    /**
     * The email of the person's first notification rule that is due at once and names a usable email; else (only email
     * is sent today: a person whose first rule is SMS must still be reached) their first usable email.
     */
    static Optional<String> emailOf(Person person) {
        List<ContactMethod> ordered = new ArrayList<>(person.dueRules(java.time.Duration.ZERO).stream()
                .map(r -> person.method(r.method()).orElseThrow()).toList());
        ordered.addAll(person.methods());
        return ordered.stream().filter(m -> m.kind() == ContactKind.EMAIL && m.usable()).map(ContactMethod::address)
                .findFirst();
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
