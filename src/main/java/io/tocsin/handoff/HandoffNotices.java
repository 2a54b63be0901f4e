package io.tocsin.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.config.Settings;
import io.tocsin.fault.FaultHook;
import io.tocsin.fault.FaultPoint;
import io.tocsin.notify.HandoffEmail;
import io.tocsin.notify.HandoffEmailNotifier;
import io.tocsin.notify.Outcome;
import io.tocsin.oncall.ContactKind;
import io.tocsin.oncall.ContactMethod;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallStore;
import io.tocsin.time.Deadline;

/**
 * On-call handoff notices, run by the sweep every minute: at each shift boundary of each schedule, the outgoing and
 * the incoming person are emailed once. Each notice goes through its own outbox ({@link HandoffStore}): written
 * pending in a conditional write that only the first sweep wins, sent, then confirmed; a notice whose sender died is
 * taken over by a later sweep once its lease ran out. Boundaries more than {@link #CUTOFF} old are never started, and
 * pending ones are not finished past it, so that a sweep after an outage does not tell people about shifts long begun.
 *
 * <p>Requests when nothing is due: one Query of the on-call document; when there is a schedule, one Query of the
 * handoff window.
 */
@Singleton
public class HandoffNotices {

    private static final Logger LOG = Logger.getLogger(HandoffNotices.class);

    /**
     * How late a notice may still go out: the sweep runs every minute, so a notice normally leaves within a minute of
     * its boundary; a notice that could not (the sweep or SMTP down longer) is dropped after this, rather than
     * telling someone at 11:00 that their shift began at 09:00.
     */
    public static final Duration CUTOFF = Duration.ofMinutes(10);

    private final OnCallStore document;
    private final HandoffStore store;
    private final HandoffEmailNotifier sender;
    private final Settings settings;
    private final FaultHook faults;

    @Inject
    public HandoffNotices(OnCallStore document, HandoffStore store, HandoffEmailNotifier sender, Settings settings,
            FaultHook faults) {
        this.document = document;
        this.store = store;
        this.sender = sender;
        this.settings = settings;
        this.faults = faults;
    }

    /** What a run did: notices sent (and their outcome), and whether it stopped at the deadline with work left. */
    public record Report(List<String> sent, boolean complete) {
    }

    /** Sends what is due at {@code now}; no send starts unless {@code margin} is left before {@code deadline}. */
    public Report run(Instant now, Deadline deadline, Duration margin) {
        OnCallDocument setup;
        try {
            setup = document.load();
        } catch (OnCallStore.UnreadableException | IllegalStateException e) {
            // two applies interleaved, or items of a newer version: no notice until the next apply repairs it; the
            // sweep's other passes go on
            LOG.errorf("Handoff notices skipped: %s", e.getMessage());
            return new Report(List.of(), true);
        }
        if (setup.schedules().isEmpty()) {
            return new Report(List.of(), true);
        }
        Instant from = now.minus(CUTOFF);
        Map<String, HandoffStore.Stored> stored = store.between(from, now).stream()
                .collect(Collectors.toMap(HandoffStore.Stored::sk, Function.identity(), (a, b) -> a));
        List<String> sent = new ArrayList<>();
        Duration lease = settings.delivery().lease();
        for (Schedule schedule : setup.schedules()) {
            for (Handoff handoff : HandoffBoundaries.between(schedule, from, now)) {
                String sk = HandoffStore.sk(handoff);
                if (stored.containsKey(sk)) {
                    continue; // written before: sent, failed, or pending (finished below)
                }
                Optional<HandoffEmail> email = email(setup, schedule, handoff);
                if (email.isEmpty()) {
                    continue;
                }
                if (!deadline.allows(margin)) {
                    return new Report(sent, false);
                }
                if (store.writePending(handoff, email.get(), now, now.plus(lease))) {
                    faults.reached(FaultPoint.EFFECT_WRITTEN);
                    sent.add(send(sk, email.get(), now));
                } // else another sweep wrote it first: its writer sends it, or a later sweep after its lease
            }
        }
        for (HandoffStore.Stored notice : stored.values()) {
            if (!HandoffStore.PENDING.equals(notice.state()) || notice.leaseUntil().isAfter(now)) {
                continue;
            }
            if (!deadline.allows(margin)) {
                return new Report(sent, false);
            }
            if (store.claim(notice.sk(), now, now.plus(lease))) {
                faults.reached(FaultPoint.EFFECT_CLAIMED);
                sent.add(send(notice.sk(), notice.email(), now));
            }
        }
        return new Report(sent, true);
    }

    private String send(String sk, HandoffEmail email, Instant now) {
        Outcome outcome = sender.send(email);
        faults.reached(FaultPoint.EFFECT_SENT);
        if (outcome instanceof Outcome.Delivered d) {
            store.record(sk, HandoffStore.SENT, d.detail(), now);
        } else if (outcome instanceof Outcome.FailedForGood f) {
            store.record(sk, HandoffStore.FAILED, f.reason(), now);
        } else if (outcome instanceof Outcome.RetryAfter r) {
            store.record(sk, HandoffStore.PENDING, r.reason(), now); // lease freed: the next sweep tries again
        }
        if (!(outcome instanceof Outcome.Delivered)) {
            LOG.warnf("Handoff notice %s not delivered: %s", sk, outcome);
        }
        return sk + " " + (outcome instanceof Outcome.Delivered ? "sent" : "not sent");
    }

    /** The email for a handoff, or empty when the person has no email address (logged: they cannot be told). */
    static Optional<HandoffEmail> email(OnCallDocument setup, Schedule schedule, Handoff handoff) {
        Optional<Person> person = person(setup, handoff.person());
        List<String> addresses = person.map(p -> p.methods().stream()
                .filter(m -> m.kind() == ContactKind.EMAIL && m.usable()).map(ContactMethod::address).toList())
                .orElse(List.of());
        if (person.isEmpty() || addresses.isEmpty()) {
            LOG.warnf("No handoff notice for %s on schedule %s: no usable email contact", handoff.person(),
                    schedule.id());
            return Optional.empty();
        }
        String other = handoff.other() == null ? null
                : person(setup, handoff.other()).map(Person::name).orElse(handoff.other());
        String messageId = "handoff." + HandoffStore.SORTABLE.format(handoff.boundary()).replace(":", "")
                + "." + schedule.id() + "." + handoff.role() + "@tocsin";
        return Optional.of(new HandoffEmail(addresses, person.get().name(), schedule.name(), handoff.incoming(), other,
                handoff.boundary(), handoff.until(), person.get().zone(), messageId));
    }

    private static Optional<Person> person(OnCallDocument setup, String id) {
        return setup.people().stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
