package io.tocsin.escalation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.config.Settings;
import io.tocsin.ingest.ClaimSweep;
import io.tocsin.redelivery.Redelivery;
import io.tocsin.time.Deadline;

/**
 * The {@code escalation-sweep} function, run every minute by EventBridge (its scheduled event is ignored; the sweep
 * reads everything from the table). Within {@code TOCSIN_SWEEP_BUDGET}: acknowledgments that timed out (they page
 * again and restart escalation), then escalations (the urgent path, and its
 * emails do not wait for a slow PagerDuty), then claims never turned into incidents, then every outbox with an effect
 * due, then the metrics rollups (closures older than {@code Rollups.LAG} folded into hourly items). What a run has
 * no time for is left for the next, and the answer says so. Safe to rerun and to overlap.
 */
public class SweepFunction {

    private static final Logger LOG = Logger.getLogger(SweepFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AckTimeoutSweep ackTimeouts;
    @Inject
    EscalationSweep escalation;
    @Inject
    ClaimSweep claims;
    @Inject
    Redelivery redelivery;
    @Inject
    Settings settings;
    @Inject
    Clock clock;
    @Inject
    io.tocsin.heartbeat.HeartbeatSweep heartbeats;
    @Inject
    io.tocsin.metrics.Rollups rollups;

    @Funq("escalation-sweep")
    public JsonNode sweep(JsonNode scheduledEvent) {
        Deadline deadline = Deadline.in(settings.sweep().budget());
        Instant now = clock.instant();
        List<String> repaged = ackTimeouts.run(now, deadline);
        EscalationSweep.Report escalated = escalation.run(now, deadline);
        io.tocsin.heartbeat.HeartbeatSweep.Report missed = heartbeats.run(now);
        ClaimSweep.Report recovered = claims.run(now, deadline);
        Redelivery.Report delivered = redelivery.run(now, deadline);
        io.tocsin.metrics.Rollups.Report folded = rollups.fold(now, deadline);
        boolean complete = escalated.complete() && recovered.complete() && delivered.complete() && folded.complete();
        if (!complete) {
            LOG.warnf("Sweep stopped at its budget (%s): the rest is left for the next run", settings.sweep().budget());
        }
        ObjectNode answer = JSON.createObjectNode();
        escalated.escalated().forEach(answer.putArray("escalated")::add);
        if (!repaged.isEmpty()) {
            repaged.forEach(answer.putArray("acknowledgment_timed_out")::add);
        }
        answer.putObject("claims").put("checked", recovered.checked()).put("recovered", recovered.recovered());
        answer.putObject("redelivery").put("sent", delivered.sent()).put("delivered", delivered.delivered())
                .put("failed", delivered.failed());
        answer.set("heartbeats", missed.json());
        answer.putObject("rollups").put("folded", folded.folded()).put("hours_written", folded.hoursWritten())
                .put("folded_to", folded.foldedTo());
        answer.put("complete", complete);
        return answer;
    }
}
