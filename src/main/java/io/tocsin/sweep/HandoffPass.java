package io.tocsin.sweep;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.Settings;
import io.tocsin.handoff.HandoffNotices;
import io.tocsin.time.Deadline;

/** The on-call handoff notices due at this minute's shift boundaries ({@link HandoffNotices}), within the budget. */
@Singleton
public class HandoffPass implements SweepPass {

    private final HandoffNotices handoffs;
    private final Settings settings;

    @Inject
    public HandoffPass(HandoffNotices handoffs, Settings settings) {
        this.handoffs = handoffs;
        this.settings = settings;
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        HandoffNotices.Report report = handoffs.run(now, deadline, settings.sweep().stepMargin());
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (!report.sent().isEmpty()) {
            report.sent().forEach(answer.putArray("handoffs")::add);
        }
        return new PassReport(answer, !report.complete());
    }
}
