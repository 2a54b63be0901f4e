package io.tocsin.escalation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.redelivery.Redelivery;

/**
 * The {@code escalation-sweep} function, run every minute by EventBridge (its scheduled event is ignored; the sweep
 * reads everything from the table): redelivers pending PagerDuty events, then escalates what is due. Safe to rerun
 * and to overlap.
 */
public class SweepFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EscalationSweep escalation;
    @Inject
    Redelivery redelivery;
    @Inject
    Clock clock;
    @Inject
    io.tocsin.heartbeat.HeartbeatSweep heartbeats;

    @Funq("escalation-sweep")
    public JsonNode sweep(JsonNode scheduledEvent) {
        Instant now = clock.instant();
        Redelivery.Report delivered = redelivery.run(now);
        List<String> escalated = escalation.run(now);
        io.tocsin.heartbeat.HeartbeatSweep.Report missed = heartbeats.run(now);
        ObjectNode answer = JSON.createObjectNode();
        escalated.forEach(answer.putArray("escalated")::add);
        answer.putObject("redelivery").put("sent", delivered.sent()).put("delivered", delivered.delivered())
                .put("failed", delivered.failed());
        answer.set("heartbeats", missed.json());
        return answer;
    }
}
