package io.tocsin.sweep;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.tocsin.heartbeat.HeartbeatSweep;
import io.tocsin.time.Deadline;

/** The heartbeats past their deadline raise their alerts ({@link HeartbeatSweep}), within the budget. */
@Singleton
public class HeartbeatPass implements SweepPass {

    private final HeartbeatSweep heartbeats;

    @Inject
    public HeartbeatPass(HeartbeatSweep heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        HeartbeatSweep.Report missed = heartbeats.run(now, deadline);
        return new PassReport(JsonNodeFactory.instance.objectNode().set("heartbeats", missed.json()),
                !missed.complete());
    }
}
