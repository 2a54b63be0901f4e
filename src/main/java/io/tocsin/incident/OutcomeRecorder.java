package io.tocsin.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Alert;
import io.tocsin.config.Settings;
import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.emf.Emf;
import io.tocsin.notify.Notifier;
import io.tocsin.notify.Outcome;
import io.tocsin.notify.Texts;

/**
 * What an attempt's outcome makes of an outbox entry, and its conditional write: delivered, failed for good (with the
 * notifier's fallbacks), or pending again after a backoff, until {@code tocsin.delivery.max-attempts}. The one place
 * every sent effect's outcome is recorded, a new alert's trigger included.
 */
@Singleton
public class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    /** Stale views read again before the write is left to whoever changed the item. */
    private static final int MAX_ROUNDS = 5;

    private final IncidentStore reads;
    private final OutboxStore outbox;
    private final Settings settings;
    private final Clock clock;
    private final Emf emf;

    @Inject
    public OutcomeRecorder(IncidentStore reads, OutboxStore outbox, Settings settings, Clock clock, Emf emf) {
        this.reads = reads;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.emf = emf;
    }

    /** The entry after {@code sent}: delivered, failed, or pending until its next attempt. */
    public OutboxEntry after(OutboxEntry entry, Sent sent, Instant now) {
        int attempts = entry.attempts() + sent.attempts();
        OutboxEntry base = new OutboxEntry(entry.id(), entry.kind(), entry.action(), entry.level(), entry.state(),
                attempts - 1, entry.lastStatus(), entry.errors(), entry.dueAt(), entry.leaseUntil(),
                entry.createdAt(), entry.doneAt(), entry.to());
        Outcome outcome = sent.outcome();
        if (outcome instanceof Outcome.Delivered) {
            return base.attempted(DeliveryState.DELIVERED, outcome.status(), sent.errors(), null, now);
        }
        if (outcome instanceof Outcome.FailedForGood) {
            return base.attempted(DeliveryState.FAILED, outcome.status(), sent.errors(), null, now);
        }
        Outcome.RetryAfter retry = (Outcome.RetryAfter) outcome;
        if (attempts >= settings.delivery().maxAttempts()) {
            List<String> errors = new ArrayList<>(sent.errors());
            errors.add("gave up after " + attempts + " attempts");
            return base.attempted(DeliveryState.FAILED, retry.status(), errors, null, now);
        }
        Duration wait = retry.after() != null ? retry.after() : backoff(attempts);
        return base.attempted(DeliveryState.PENDING, retry.status(), sent.errors(), now.plus(wait), now);
    }

    /** The effects a final outcome adds: the notifier's fallbacks of a failure for good; a log line when none. */
    public List<OutboxEntry> followUps(Notifier notifier, String incidentId, Alert alert, OutboxEntry done,
            Instant now) {
        if (done.state() != DeliveryState.FAILED) {
            return List.of();
        }
        List<OutboxEntry> fallbacks = notifier.fallbacks(done, alert, now);
        if (fallbacks.isEmpty() && done.kind() != EffectKind.PAGERDUTY_EVENT) {
            LOG.errorf("Could not send the %s of incident %s: %s", done.describe(), incidentId,
                    Texts.log(String.join("; ", done.errors())));
        }
        return fallbacks;
    }

    /** An incident as written, with the entry as recorded; a null incident when no write could be made. */
    record Recorded(Incident incident, OutboxEntry entry) {
    }

    /**
     * Records what sending {@code sentEntry} came to. A delivery is recorded while the entry is pending whoever holds
     * it now; a retry or failure only while the entry is still under this sender's lease (else a newer sender's
     * outcome stands). Stale views are read again a few times.
     */
    Recorded record(Incident seen, OutboxEntry sentEntry, Sent sent, Notifier notifier) {
        Incident current = seen;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            Optional<Integer> position = current.positionOf(sentEntry.id());
            if (position.isEmpty()) {
                return new Recorded(current, sentEntry);
            }
            OutboxEntry stored = current.outbox().get(position.get());
            boolean delivered = sent.outcome() instanceof Outcome.Delivered;
            boolean stillOurs = Objects.equals(stored.leaseUntil(), sentEntry.leaseUntil());
            if (!stored.isPending() || (!delivered && !stillOurs)) {
                return new Recorded(current, stored); // someone else's outcome stands
            }
            OutboxEntry updated = after(stored, sent, now);
            List<OutboxEntry> followUps = followUps(notifier, current.id(), current.alert(), updated, now);
            if (updated.state() == DeliveryState.FAILED && updated.kind() == EffectKind.PAGERDUTY_EVENT) {
                emf.deliveryFailed();
            }
            String detail = sent.outcome() instanceof Outcome.Delivered accepted ? accepted.detail() : null;
            Optional<Incident> written = outbox.record(current, updated, followUps,
                    List.of(OutboxStore.outcomeEvent(updated, now, detail)));
            if (written.isPresent()) {
                return new Recorded(written.get(), updated);
            }
            current = reads.findAsStored(current.id()).orElse(current);
        }
        return new Recorded(null, sentEntry);
    }

    /** Exponential from the pending retry delay, capped, with ±20 % jitter so that a backlog does not retry in step. */
    Duration backoff(int attempts) {
        Duration base = settings.delivery().pendingRetryDelay();
        int doublings = Math.min(Math.max(attempts - settings.delivery().attemptsPerInvocation(), 0), 16);
        if (doublings == 0) {
            return base; // the first wait after the caller's own attempts
        }
        Duration delay = base.multipliedBy(1L << doublings);
        Duration cap = settings.delivery().maxBackoff();
        if (delay.compareTo(cap) > 0) {
            delay = cap;
        }
        long jitterMillis = (long) (delay.toMillis() * 0.2 * (2 * ThreadLocalRandom.current().nextDouble() - 1));
        return delay.plusMillis(jitterMillis);
    }
}
