package io.tocsin.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.delivery.PagerDutyAction;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.notify.Effect;
import io.tocsin.notify.Notifier;
import io.tocsin.oncall.runtime.PolicyRouter;
import io.tocsin.time.Deadline;

/**
 * A new incident's first page: the trigger goes out through the same PagerDuty {@link Notifier}, the same attempts
 * and the same outcome rules ({@link OutcomeRecorder}) as every outbox entry; only where its pending record lives
 * differs. Every other effect is written pending on the incident item, then sent, then its outcome written: three
 * requests. For a new alert the pending record is the dedup claim, which stores the alert (ingest's first request,
 * before PagerDuty is called); the incident is then written once with the trigger's outcome (the second request). The
 * claim is what the caller's retry, a duplicate and the claims sweep finish from ({@code ClaimRecovery}): the same
 * write-send-confirm protocol, with the claim as the write.
 *
 * <p>Why not the incident item as the pending record (write, send, confirm on it): that is a third sequential DynamoDB
 * request on every new alert, where the claim already makes the alert durable before the send. Measured: each
 * sequential request costs about one raw conditional put (BENCHMARKS.md, the quiet-machine {@code IngestBenchTest}
 * run: raw put p50 2.02 ms, raw put pair 2.06x a raw put, a new alert 2.52x, "BENCH ingest new_over_raw=2.52
 * dup_requests=1 new_requests=2"), so a third request would take a new alert to about 3.5x a raw put, further from
 * issue 14's goal of 2.0, and to 3 requests where {@code DedupIngestTest} asserts 2 (and 1 for a duplicate).
 */
@Singleton
public class FirstPage {

    private final Notifiers notifiers;
    private final OutboxDispatcher dispatcher;
    private final OutcomeRecorder recorder;
    private final IncidentWrites writes;
    private final IncidentStore reads;
    private final Settings settings;
    private final Clock clock;
    private final FaultHook faults;
    private final PolicyRouter router;

    @Inject
    public FirstPage(Notifiers notifiers, OutboxDispatcher dispatcher, OutcomeRecorder recorder, IncidentWrites writes,
            IncidentStore reads, Settings settings, Clock clock, FaultHook faults, PolicyRouter router) {
        this.router = router;
        this.notifiers = notifiers;
        this.dispatcher = dispatcher;
        this.recorder = recorder;
        this.writes = writes;
        this.reads = reads;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
    }

    /** The first entry of a new incident's outbox: its trigger, pending until sent. */
    public static OutboxEntry initialTrigger(Instant at, Instant leaseUntil) {
        return OutboxEntry.pending(EffectKind.PAGERDUTY_EVENT, PagerDutyAction.TRIGGER, 0, at, leaseUntil)
                .withId(OutboxEntry.INITIAL_TRIGGER_ID);
    }

    /**
     * The trigger written with a new incident whose first policy step does not page PagerDuty: closed unsent (its
     * later PagerDuty events are then never sent; a later step that pages PagerDuty adds a trigger of its own).
     */
    public static OutboxEntry notPaged(OutboxEntry trigger, String policy, Instant at) {
        return trigger.closed(DeliveryState.DISABLED,
                "not sent: escalation policy " + policy + " does not page PagerDuty at its first step", at);
    }

    /**
     * Pages incident {@code id} (claimed for {@code alert} at {@code openedAt}), then records it with the trigger's
     * outcome and the fallbacks a failure causes (sent at once). With an escalation policy (routing), the trigger is
     * sent only if the policy's first step pages PagerDuty, and the first step's other notifications are written with
     * the incident and sent at once. If a recovery wrote the incident first, the outcome is recorded on the trigger it
     * wrote.
     *
     * @return the trigger as recorded
     */
    public OutboxEntry open(String id, Alert alert, byte[] storedAlert, Instant openedAt) {
        Notifier pagerDuty = notifiers.require(EffectKind.PAGERDUTY_EVENT);
        Instant leaseUntil = openedAt.plus(settings.ingest().claimLease());
        OutboxEntry pending = initialTrigger(openedAt, leaseUntil);
        Optional<PolicyRouter.FirstStep> first = router.firstStep(alert, openedAt, leaseUntil);
        boolean page = first.map(f -> f.notices().pagesPagerDuty()).orElse(true);
        Sent sent = page && pagerDuty.enabled() ? dispatcher.send(pagerDuty,
                new Effect(id, alert, openedAt, pending, List.of(pending)), OutboxDispatcher.Mode.CALLER) : null;
        faults.reached(FaultPoint.INGEST_PAGED);
        Instant now = clock.instant();
        OutboxEntry trigger = sent != null ? recorder.after(pending, sent, now)
                : page ? pending.closed(DeliveryState.DISABLED, null, now)
                        : notPaged(pending, first.get().policy(), now);
        List<OutboxEntry> outbox = new ArrayList<>(List.of(trigger));
        outbox.addAll(recorder.followUps(pagerDuty, id, alert, trigger, now));
        List<OutboxEntry> notices = first.map(FirstPage::notices).orElse(List.of());
        outbox.addAll(notices);
        if (writes.recordTriggered(id, alert, storedAlert, outbox, openedAt, first.orElse(null))) {
            if (outbox.size() > 1) {
                Set<String> owned = notices.stream().map(OutboxEntry::id).collect(Collectors.toSet());
                reads.findAsStored(id).ifPresent(i -> dispatcher.dispatch(i, OutboxDispatcher.Mode.CALLER,
                        Deadline.NONE, owned));
            }
            return trigger;
        }
        Incident recorded = reads.findAsStored(id).orElseThrow();
        if (sent != null) {
            OutboxEntry written = recorded.outbox().get(0).leased(pending.leaseUntil());
            OutcomeRecorder.Recorded after = recorder.record(recorded, written, sent, pagerDuty);
            recorded = after.incident() != null ? after.incident() : reads.findAsStored(id).orElseThrow();
            recorded = dispatcher.dispatch(recorded, OutboxDispatcher.Mode.CALLER, Deadline.NONE).incident();
        }
        return recorded.outbox().get(0);
    }

    /** A first step's notifications but its PagerDuty trigger: the incident's own trigger is that. */
    public static List<OutboxEntry> notices(PolicyRouter.FirstStep first) {
        return first.notices().entries().stream().filter(e -> e.kind() != EffectKind.PAGERDUTY_EVENT).toList();
    }
}
