package io.tocsin.sweep;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.metrics.Rollups;
import io.tocsin.time.Deadline;

/** Closures older than {@code Rollups.LAG} are folded into the hourly metrics items ({@link Rollups}). */
@Singleton
public class RollupPass implements SweepPass {

    private final Rollups rollups;

    @Inject
    public RollupPass(Rollups rollups) {
        this.rollups = rollups;
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        Rollups.Report folded = rollups.fold(now, deadline);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putObject("rollups").put("folded", folded.folded()).put("hours_written", folded.hoursWritten())
                .put("folded_to", folded.foldedTo());
        return new PassReport(answer, !folded.complete());
    }
}
