package io.tocsin.heartbeat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.Settings;
import io.tocsin.incident.IncidentLifecycle;
import io.tocsin.incident.SuppressionReason;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.IngestResult;
import io.tocsin.notify.Texts;
import io.tocsin.time.Deadline;
import io.tocsin.time.Durations;

/**
 * The heartbeats' part of the sweep: every heartbeat past its deadline raises one alert through the ingest pipeline
 * ("no heartbeat from <name> since <time>", dedup key {@code heartbeat:<name>}). Exactly once however sweeps overlap:
 * a sweep first claims the heartbeat with a conditional write (state {@code raising}, a lease of
 * {@link HeartbeatStore#RAISE_LEASE}), raises the alert, then records the incident on the heartbeat (state
 * {@code late}) with a second conditional write. A sweep that dies in between leaves the claim, which a later sweep
 * takes over when the lease has run out; its alert has the same dedup key, so it joins the same incident. A ping that
 * arrives while the alert is being raised wins: the sweep then resolves the incident it opened.
 */
@Singleton
public class HeartbeatSweep {

    private static final Logger LOG = Logger.getLogger(HeartbeatSweep.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Due heartbeats handled per run; the rest wait for the next minute. */
    static final int MAX_PER_RUN = 100;

    /**
     * What a run did: how many due heartbeats it read, which it raised (and their incidents), which it did not, and
     * whether it looked at every one it read ({@code false}: it stopped at the sweep's budget, the rest stay due).
     */
    public record Report(int due, List<String> raised, List<String> incidentIds, List<String> suppressed,
            List<String> pingedWhileRaising, boolean complete) {

        /** The sweep's answer field. */
        public ObjectNode json() {
            ObjectNode node = JSON.createObjectNode().put("due", due);
            raised.forEach(node.putArray("raised")::add);
            incidentIds.forEach(node.putArray("incident_ids")::add);
            suppressed.forEach(node.putArray("suppressed")::add);
            pingedWhileRaising.forEach(node.putArray("pinged_while_raising")::add);
            return node;
        }
    }

    private final HeartbeatStore store;
    private final HeartbeatService heartbeats;
    private final IngestPipeline pipeline;
    private final IncidentLifecycle lifecycle;
    private final Settings settings;

    @Inject
    public HeartbeatSweep(HeartbeatStore store, HeartbeatService heartbeats, IngestPipeline pipeline,
            IncidentLifecycle lifecycle, Settings settings) {
        this.store = store;
        this.heartbeats = heartbeats;
        this.pipeline = pipeline;
        this.lifecycle = lifecycle;
        this.settings = settings;
    }

    public Report run(Instant now) {
        return run(now, Deadline.NONE);
    }

    /**
     * Raises the alert of every heartbeat due at {@code now}; no raise starts unless it can end before
     * {@code deadline} (one raise is an ingest: at most one step, {@code TOCSIN_SWEEP_STEP_MARGIN}).
     */
    public Report run(Instant now, Deadline deadline) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        List<Heartbeat> due = store.due(at, MAX_PER_RUN);
        List<String> raised = new ArrayList<>();
        List<String> incidents = new ArrayList<>();
        List<String> suppressed = new ArrayList<>();
        List<String> pinged = new ArrayList<>();
        RuntimeException failure = null;
        boolean complete = true;
        for (Heartbeat seen : due) {
            if (!deadline.allows(settings.sweep().stepMargin())) {
                complete = false; // the rest stay due: the next run raises them
                break;
            }
            try {
                raise(seen, at, raised, incidents, suppressed, pinged);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Heartbeat %s: raising its alert failed; a later sweep takes it over", Texts.log(seen.name()));
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure; // after the others: a failed run goes to the sweep's failure queue and alarm
        }
        return new Report(due.size(), raised, incidents, suppressed, pinged, complete);
    }

    private void raise(Heartbeat seen, Instant now, List<String> raised, List<String> incidents,
            List<String> suppressed, List<String> pinged) {
        boolean leaseOver = seen.state() == HeartbeatState.RAISING && seen.raisedAt() != null
                && !seen.raisedAt().plus(HeartbeatStore.RAISE_LEASE).isAfter(now);
        if (!seen.isLateAt(now) && !leaseOver) {
            return; // the index lagged behind a ping
        }
        Heartbeat claimed = seen.with(HeartbeatState.RAISING, seen.dueAt(), null, now);
        if (!store.replace(claimed, seen.version())) {
            return; // another sweep claimed it, or a ping re-armed it
        }
        ObjectNode alert = alert(claimed, now);
        IngestResult result = pipeline.ingest(alert, alert.toString().length());
        String incidentId;
        if (result instanceof IngestResult.Created created) {
            incidentId = created.incidentId();
        } else if (result instanceof IngestResult.Suppressed duplicate
                && duplicate.reason() == SuppressionReason.DUPLICATE) {
            incidentId = duplicate.incidentId();
        } else {
            // a maintenance window (or, never expected, an invalid alert): look again one interval later
            LOG.infof("Heartbeat %s is late but its alert was not raised: %s", Texts.log(seen.name()), Texts.log(result));
            store.replace(claimed.with(HeartbeatState.WAITING, now.plus(claimed.interval()), null, null),
                    claimed.version());
            suppressed.add(seen.name());
            return;
        }
        if (store.replace(claimed.with(HeartbeatState.LATE, claimed.dueAt(), incidentId, now), claimed.version())) {
            raised.add(seen.name());
            incidents.add(incidentId);
            return;
        }
        // A ping came while the alert was raised and re-armed the heartbeat: it is alive, close what was opened.
        var current = store.find(seen.name());
        if (current.isPresent() && current.get().state() == HeartbeatState.WAITING) {
            lifecycle.resolve(incidentId, "Heartbeat " + seen.name() + " pinged at " + current.get().lastPingAt()
                    + " while its alert was being raised", HeartbeatService.actor(seen.name()));
            pinged.add(seen.name());
        }
    }

    /** The alert of a late heartbeat, as the ingest API takes it. */
    private ObjectNode alert(Heartbeat late, Instant now) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", heartbeats.severityOf(late).wire());
        alert.put("title", "no heartbeat from " + late.name() + " since " + late.since().truncatedTo(ChronoUnit.SECONDS));
        alert.put("source", HeartbeatService.actor(late.name()));
        alert.put("description", "Heartbeat " + late.name() + " expects a ping every "
                + Durations.human(late.interval()) + " (grace " + Durations.human(late.grace()) + "); "
                + (late.lastPingAt() == null ? "it was created at " + late.createdAt() + " and never pinged"
                        : "its last ping was at " + late.lastPingAt())
                + ", its deadline was " + late.dueAt() + ".");
        alert.put("dedup_key", late.dedupKey());
        ObjectNode metadata = alert.putObject("metadata");
        metadata.put("heartbeat", late.name());
        metadata.put("interval_seconds", late.interval().getSeconds());
        metadata.put("grace_seconds", late.grace().getSeconds());
        metadata.put("last_ping", late.lastPingAt() == null ? null : late.lastPingAt().toString());
        metadata.put("deadline", late.dueAt().toString());
        metadata.put("pings", late.pings());
        metadata.put("checked_at", now.toString());
        return alert;
    }
}
