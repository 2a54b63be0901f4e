package io.tocsin.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.notify.Notifier;

/**
 * What to do next with an incident's outbox: decisions only, from the stored state, no I/O (the dispatcher carries
 * them out). The order and what is never sent:
 * <ul>
 * <li>PagerDuty events of one incident go out in sequence order: one waits while an earlier one is pending.</li>
 * <li>A trigger or acknowledge still pending when a resolve follows it is superseded (never sent); the resolve is sent
 * (PagerDuty drops a resolve for a key it never opened, and closes the alert if an earlier attempt did open it).</li>
 * <li>Events after a trigger PagerDuty refused for good, or after a trigger not sent because PagerDuty was disabled,
 * are superseded: PagerDuty would drop them.</li>
 * <li>An escalation step ({@link EffectKind#isEscalation()}) of an incident acknowledged or resolved before it went
 * out is superseded.</li>
 * <li>Every other kind (emails, a new channel) waits for nothing: an escalation email goes out while PagerDuty is
 * down.</li>
 * <li>An entry of a kind whose notifier is switched off is closed as disabled; an entry of a kind this version has no
 * notifier for is left for a version that has one.</li>
 * </ul>
 * What a failure for good adds (a fallback email) is the notifier's ({@link Notifier#fallbacks}).
 */
final class OutboxRules {

    private OutboxRules() {
    }

    /** The next thing to do with the outbox. */
    sealed interface Step {
        OutboxEntry entry();
    }

    /** Send {@code entry} with {@code notifier}. */
    record Send(OutboxEntry entry, Notifier notifier) implements Step {
    }

    /** Close {@code entry} unsent, as {@code state}, for {@code reason}. */
    record Close(OutboxEntry entry, DeliveryState state, String reason) implements Step {
    }

    /**
     * The first entry {@code which} accepts that should be closed or sent now; {@code owned} are entries leased to the
     * caller itself (written by its own state change), which it sends without taking them again.
     */
    static Optional<Step> next(Incident incident, Instant now, Set<String> owned, Predicate<OutboxEntry> which,
            Function<EffectKind, Optional<Notifier>> notifiers) {
        List<OutboxEntry> entries = incident.outbox();
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry entry = entries.get(i);
            Optional<Notifier> notifier = notifiers.apply(entry.kind());
            if (!entry.isPending() || !which.test(entry) || notifier.isEmpty()) {
                continue;
            }
            String pointless = pointless(incident, i);
            if (pointless != null) {
                return Optional.of(new Close(entry, DeliveryState.SUPERSEDED, pointless));
            }
            if (!notifier.get().enabled()) {
                return Optional.of(new Close(entry, DeliveryState.DISABLED, null));
            }
            boolean held = entry.kind() == EffectKind.PAGERDUTY_EVENT && earlierEventPending(entries, i);
            boolean waiting = entry.dueAt().isAfter(now) || entry.leasedAt(now) && !owned.contains(entry.id());
            if (!held && !waiting) {
                return Optional.of(new Send(entry, notifier.get()));
            }
        }
        return Optional.empty();
    }

    /** Why entry {@code i} should never be sent now, or null. */
    static String pointless(Incident incident, int i) {
        OutboxEntry entry = incident.outbox().get(i);
        if (entry.kind() == EffectKind.PAGERDUTY_EVENT) {
            return pointlessEvent(incident.outbox(), i);
        }
        if (entry.kind().isEscalation() && incident.status() != IncidentStatus.TRIGGERED) {
            return "not sent: the incident was " + incident.status().wire() + " first";
        }
        return null;
    }

    private static String pointlessEvent(List<OutboxEntry> entries, int i) {
        OutboxEntry entry = entries.get(i);
        if (entry.action() != PagerDutyAction.RESOLVE) {
            for (int j = i + 1; j < entries.size(); j++) {
                OutboxEntry later = entries.get(j);
                if (later.kind() == EffectKind.PAGERDUTY_EVENT && later.action() == PagerDutyAction.RESOLVE) {
                    return "not sent: superseded by the resolve (sequence " + (j + 1) + ")";
                }
            }
        }
        if (entry.action() != PagerDutyAction.TRIGGER) {
            OutboxEntry trigger = latestTriggerBefore(entries, i);
            if (trigger != null && trigger.state() == DeliveryState.FAILED) {
                return "not sent: PagerDuty refused this incident's trigger";
            }
            if (trigger != null && trigger.state() == DeliveryState.DISABLED) {
                return "not sent: the trigger was not sent (" + (trigger.errors().isEmpty()
                        ? "PAGERDUTY_ENABLED was false" : trigger.errors().get(trigger.errors().size() - 1)) + ")";
            }
        }
        return null;
    }

    private static OutboxEntry latestTriggerBefore(List<OutboxEntry> entries, int i) {
        for (int j = i - 1; j >= 0; j--) {
            OutboxEntry e = entries.get(j);
            if (e.kind() == EffectKind.PAGERDUTY_EVENT && e.action() == PagerDutyAction.TRIGGER) {
                return e;
            }
        }
        return null;
    }

    private static boolean earlierEventPending(List<OutboxEntry> entries, int i) {
        for (int j = 0; j < i; j++) {
            if (entries.get(j).kind() == EffectKind.PAGERDUTY_EVENT && entries.get(j).isPending()) {
                return true;
            }
        }
        return false;
    }
}
