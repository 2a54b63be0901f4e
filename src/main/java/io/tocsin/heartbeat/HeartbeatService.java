package io.tocsin.heartbeat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.alert.Severity;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.IncidentStore;
import io.tocsin.notify.Texts;
import io.tocsin.time.Durations;

/**
 * Pings, definitions and removals of heartbeats. A ping re-arms its heartbeat (deadline = now + interval + grace); if
 * the heartbeat was late, the ping first resolves the incident its alert opened, with notes, through
 * {@link IncidentLifecycle#resolve} (which tells PagerDuty). Each write is conditional on the version read; a change
 * in between (another ping, a sweep) makes the operation read again and retry.
 */
@Singleton
public class HeartbeatService {

    private static final Logger LOG = Logger.getLogger(HeartbeatService.class);

    /** Names go into the table key, a URL path and the dedup key: letters, digits and {@code . _ : -}, 1–128. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** The sweep runs every minute: a shorter interval could not be watched. */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    /** A yearly job is the longest we watch (healthchecks.io has the same bound). */
    public static final Duration MAX_INTERVAL = Duration.ofDays(365);
    public static final Duration MAX_GRACE = Duration.ofDays(365);
    /** Conditional writes a ping or a definition tries before it gives up (each failure is another writer's success). */
    static final int MAX_ATTEMPTS = 5;

    /**
     * The most heartbeats a stack keeps: a ping of an unknown name (on a public token-less route, any name creates
     * one) or a definition past it is refused (409). The dashboard shows them all and the API lists them in one
     * answer, read by one Query of one partition: a heartbeat item is about 300 bytes, so 1,000 stay well within
     * DynamoDB's 1 MB per Query page and Lambda's 6 MB response.
     */
    public static final int MAX_HEARTBEATS = 1000;

    /** A new heartbeat would exceed {@link #maxHeartbeats}: nothing was written. */
    public static class LimitReached extends RuntimeException {
        LimitReached(int limit) {
            super("there are already " + limit + " heartbeats, the most a stack keeps (MAX_HEARTBEATS): delete "
                    + "unused ones (DELETE /heartbeats/{name}) first");
        }
    }

    /** The outcome of a ping: the heartbeat after it, whether it was created by it, what it resolved. */
    public record Pinged(Heartbeat heartbeat, boolean created, String resolvedIncidentId) {
    }

    /** The outcome of a definition. */
    public record Defined(Heartbeat heartbeat, boolean created) {
    }

    private final HeartbeatStore store;
    private final HeartbeatConfig config;
    private final IncidentLifecycle lifecycle;
    private final Clock clock;
    private final int maxHeartbeats;

    @Inject
    public HeartbeatService(HeartbeatStore store, HeartbeatConfig config, IncidentLifecycle lifecycle, Clock clock) {
        this(store, config, lifecycle, clock, MAX_HEARTBEATS);
    }

    /** With another limit than {@link #MAX_HEARTBEATS} (tests). */
    HeartbeatService(HeartbeatStore store, HeartbeatConfig config, IncidentLifecycle lifecycle, Clock clock,
            int maxHeartbeats) {
        this.maxHeartbeats = maxHeartbeats;
        this.store = store;
        this.config = config;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** The actor of everything a heartbeat does to an incident. */
    static String actor(String name) {
        return "heartbeat:" + name;
    }

    public Pinged ping(String name) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Optional<Heartbeat> found = store.find(name);
            if (found.isEmpty()) {
                Heartbeat created = new Heartbeat(name, config.defaultInterval(), config.defaultGrace(), null, now, now,
                        1, HeartbeatState.WAITING, Heartbeat.deadline(now, config.defaultInterval(),
                                config.defaultGrace()), null, null, 1);
                if (roomForOneMore() && store.create(created)) {
                    LOG.infof("Heartbeat %s created by its first ping (interval %s, grace %s)", Texts.log(name),
                            created.interval(), created.grace());
                    return new Pinged(created, true, null);
                }
                continue; // created concurrently: ping that one
            }
            Heartbeat seen = found.get();
            String resolved = null;
            if (seen.state() == HeartbeatState.LATE && seen.incidentId() != null) {
                var outcome = lifecycle.resolve(seen.incidentId(), notes(seen, now), actor(name));
                if (outcome instanceof io.tocsin.incident.Transition.Applied
                        || outcome instanceof io.tocsin.incident.Transition.AlreadyDone) {
                    resolved = seen.incidentId();
                }
            }
            Heartbeat next = new Heartbeat(name, seen.interval(), seen.grace(), seen.severity(), seen.createdAt(), now,
                    seen.pings() + 1, HeartbeatState.WAITING, Heartbeat.deadline(now, seen.interval(), seen.grace()),
                    null, null, seen.version() + 1);
            if (store.replace(next, seen.version())) {
                return new Pinged(next, false, resolved);
            }
        }
        throw new IllegalStateException("heartbeat " + name + " changed " + MAX_ATTEMPTS + " times during one ping");
    }

    /**
     * Creates a heartbeat, or changes an existing one's interval, grace and severity (null: the configured one). A
     * waiting heartbeat's deadline follows from its last sign of life and the new interval and grace.
     */
    public Defined define(String name, Duration interval, Duration grace, Severity severity) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Optional<Heartbeat> found = store.find(name);
            if (found.isEmpty()) {
                Heartbeat created = new Heartbeat(name, interval, grace, severity, now, null, 0,
                        HeartbeatState.WAITING, Heartbeat.deadline(now, interval, grace), null, null, 1);
                if (roomForOneMore() && store.create(created)) {
                    return new Defined(created, true);
                }
                continue;
            }
            Heartbeat seen = found.get();
            Heartbeat next = new Heartbeat(name, interval, grace, severity, seen.createdAt(), seen.lastPingAt(),
                    seen.pings(), seen.state(), seen.state() == HeartbeatState.WAITING
                            ? Heartbeat.deadline(seen.since(), interval, grace) : seen.dueAt(),
                    seen.incidentId(), seen.raisedAt(), seen.version() + 1);
            if (store.replace(next, seen.version())) {
                return new Defined(next, false);
            }
        }
        throw new IllegalStateException("heartbeat " + name + " changed " + MAX_ATTEMPTS + " times during one update");
    }

    /**
     * Whether another heartbeat may be created (one counting Query, only when a name is new); throws
     * {@link LimitReached} otherwise. Concurrent creations may pass the limit by as many as raced.
     */
    private boolean roomForOneMore() {
        if (store.count() >= maxHeartbeats) {
            throw new LimitReached(maxHeartbeats);
        }
        return true;
    }

    public List<Heartbeat> list() {
        return store.all();
    }

    /** Removes a heartbeat: no alert for it any more. An incident it raised stays as it is. */
    public Optional<Heartbeat> delete(String name) {
        return store.delete(name);
    }

    /** The severity of the heartbeat's alerts. */
    public Severity severityOf(Heartbeat heartbeat) {
        return heartbeat.severity() != null ? heartbeat.severity() : config.severity();
    }

    private static String notes(Heartbeat late, Instant now) {
        return "Heartbeat " + late.name() + " pinged again at " + now + ", "
                + Durations.human(Duration.between(late.dueAt(), now)) + " after its deadline " + late.dueAt()
                + " (silent since " + late.since() + ")";
    }
}
