package io.tocsin.sweep;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.config.Settings;
import io.tocsin.time.Deadline;

/**
 * The {@code escalation-sweep} function, run every minute by EventBridge (its scheduled event is ignored; the sweep
 * reads everything from the table): its {@link SweepPass}es, in order, within {@code TOCSIN_SWEEP_BUDGET}, each given
 * what is left of it. What a run has no time for is left for the next, and the answer says so ({@code complete}).
 * Safe to rerun and to overlap.
 */
public class SweepFunction {

    private static final Logger LOG = Logger.getLogger(SweepFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AckTimeoutSweep ackTimeouts;
    @Inject
    EscalationSweep escalations;
    @Inject
    HeartbeatPass heartbeats;
    @Inject
    ClaimPass claims;
    @Inject
    RedeliveryPass redelivery;
    @Inject
    RollupPass rollups;
    @Inject
    HandoffPass handoffs;
    @Inject
    Settings settings;
    @Inject
    Clock clock;

    /**
     * The passes, in order: acknowledgments that timed out (they page again and restart escalation), then escalations
     * (the urgent path; their emails do not wait for a slow PagerDuty), then heartbeats past their deadline, then
     * claims never turned into incidents, then every outbox with an effect due, then the on-call handoff notices
     * (after the incident work: a late page is worse than a late handoff email), then the metrics rollups. A new pass
     * is a {@link SweepPass} added here.
     */
    List<SweepPass> passes() {
        return List.of(ackTimeouts, escalations, heartbeats, claims, redelivery, handoffs, rollups);
    }

    @Funq("escalation-sweep")
    public JsonNode sweep(JsonNode scheduledEvent) {
        Deadline deadline = Deadline.in(settings.sweep().budget());
        Instant now = clock.instant();
        ObjectNode answer = JSON.createObjectNode();
        List<String> leftWork = new ArrayList<>();
        for (SweepPass pass : passes()) {
            PassReport report = pass.run(now, deadline);
            answer.setAll(report.answer());
            if (report.leftWork()) {
                leftWork.add(pass.getClass().getSimpleName());
            }
        }
        if (!leftWork.isEmpty()) {
            LOG.warnf("Sweep stopped at its budget (%s): %s left work for the next run", settings.sweep().budget(),
                    leftWork);
        }
        answer.put("complete", leftWork.isEmpty());
        return answer;
    }
}
