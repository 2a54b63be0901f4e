package io.tocsin.sweep;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.emf.Emf;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.incident.EscalationWrites;
import io.tocsin.incident.Incident;
import io.tocsin.incident.IncidentStatus;
import io.tocsin.incident.OutboxDispatcher;
import io.tocsin.oncall.policy.DueStep;
import io.tocsin.oncall.policy.EscalationDecision;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.runtime.PolicyRouter;
import io.tocsin.oncall.runtime.PolicySlots;
import io.tocsin.oncall.runtime.StepNotices;
import io.tocsin.oncall.runtime.StepPlanner;
import io.tocsin.time.Deadline;

/**
 * The escalation sweep's part for incidents with an escalation policy (docs/oncall.md "Runtime"). The incident's
 * {@code escalation_level} counts the policy's slots written ({@link PolicySlots}); each due slot is one conditional
 * write ({@link EscalationWrites#escalate}: still triggered, still at that count) that appends the step's
 * notifications (deterministic ids) and its timeline event and moves the incident in the escalation-due index to the
 * next slot's time, so overlapping or retried sweeps write each step once. The step's emails, leased to this run, are
 * sent at once; PagerDuty triggers are the outbox sweep's (as the level escalation's). After the last pass the
 * exhaustion slot tells ops once: the {@code EscalationPolicyExhausted} metric (an alarm in template.yaml) and an
 * escalation email to the stack's escalation recipients, and the incident leaves the index.
 */
@Singleton
class PolicySteps {

    private static final Logger LOG = Logger.getLogger(PolicySteps.class);

    private final PolicyRouter router;
    private final EscalationWrites writes;
    private final OutboxDispatcher dispatcher;
    private final Settings settings;
    private final FaultHook faults;
    private final Emf emf;

    @Inject
    PolicySteps(PolicyRouter router, EscalationWrites writes, OutboxDispatcher dispatcher, Settings settings,
            FaultHook faults, Emf emf) {
        this.router = router;
        this.writes = writes;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.faults = faults;
        this.emf = emf;
    }

    /**
     * Writes and sends every slot of {@code incident} due by {@code now}, one at a time.
     *
     * @return false when the deadline stopped it (the rest is the next run's)
     */
    boolean run(Incident incident, Instant now, Deadline deadline, List<String> escalated) {
        Incident current = incident;
        while (isDue(current, now)) {
            if (!deadline.allows(settings.sweep().stepMargin())) {
                return false;
            }
            Optional<Incident> written = next(current, now);
            if (written.isEmpty()) {
                return true; // another sweep wrote it, it was acknowledged or resolved, or the document is unreadable
            }
            faults.reached(FaultPoint.EFFECT_WRITTEN);
            Set<String> owned = written.get().outbox().stream().filter(e -> e.leasedAt(now)).map(OutboxEntry::id)
                    .collect(Collectors.toSet());
            current = dispatcher.dispatch(written.get(), OutboxDispatcher.Mode.SWEEP, deadline, owned,
                    entry -> entry.kind() != EffectKind.PAGERDUTY_EVENT).incident();
            if (!escalated.contains(current.id())) {
                escalated.add(current.id());
            }
        }
        return true;
    }

    private static boolean isDue(Incident incident, Instant now) {
        return incident.status() == IncidentStatus.TRIGGERED && incident.nextEscalationAt() != null
                && !incident.nextEscalationAt().isAfter(now);
    }

    /** The write of the incident's next slot, if it is due and this run wins it. */
    private Optional<Incident> next(Incident incident, Instant now) {
        Optional<PolicyRouter.Routed> routed;
        try {
            routed = router.policy(incident.policy());
        } catch (RuntimeException unreadable) {
            LOG.errorf("On-call configuration not read; incident %s waits for the next run: %s", incident.id(),
                    unreadable);
            return Optional.empty();
        }
        int done = incident.escalationLevel();
        Instant start = incident.policyStart() != null ? incident.policyStart() : incident.createdAt();
        if (routed.isEmpty()) {
            return exhausted(incident, done, now, "escalation policy " + incident.policy() + " no longer exists");
        }
        EscalationPolicy policy = routed.get().policy();
        EscalationDecision decision = EscalationDecision.decide(policy, start, null, now);
        int total = PolicySlots.total(policy);
        if (done >= total) {
            return exhausted(incident, done, now, "escalation policy " + policy.id() + " ran out after "
                    + (policy.repeats() + 1) + " pass(es) unacknowledged");
        }
        if (decision.due().size() <= done) {
            return Optional.empty(); // the index said due, the policy (edited since) not yet
        }
        DueStep step = decision.due().get(done);
        StepNotices notices = StepPlanner.plan(routed.get().document(), policy, step, start,
                now.plus(dispatcher.lease()));
        Instant nextDue = PolicySlots.at(policy, start, done + 1);
        Optional<Incident> written = writes.escalate(incident.id(), done, nextDue, notices.detail(), now,
                notices.entries());
        written.ifPresent(w -> emf.escalated());
        return written;
    }

    /** The exhaustion slot: out of the index, ops told once (metric and escalation email). */
    private Optional<Incident> exhausted(Incident incident, int done, Instant now, String why) {
        List<OutboxEntry> ops = new ArrayList<>(List.of(OutboxEntry.pending(EffectKind.ESCALATION_EMAIL, null,
                done + 1, now, now.plus(dispatcher.lease())).withId("oc-ops-" + done)));
        Optional<Incident> written = writes.escalate(incident.id(), done, null, why + ": ops alarm raised", now, ops);
        if (written.isPresent()) {
            emf.policyExhausted();
            LOG.errorf("Incident %s: %s; the ops alarm is raised", incident.id(), why);
        }
        return written;
    }
}
