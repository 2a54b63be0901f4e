package io.tocsin.sweep;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.redelivery.Redelivery;
import io.tocsin.time.Deadline;

/** Every outbox with an effect due is sent ({@link Redelivery}). */
@Singleton
public class RedeliveryPass implements SweepPass {

    private final Redelivery redelivery;

    @Inject
    public RedeliveryPass(Redelivery redelivery) {
        this.redelivery = redelivery;
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        Redelivery.Report delivered = redelivery.run(now, deadline);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putObject("redelivery").put("sent", delivered.sent()).put("delivered", delivered.delivered())
                .put("failed", delivered.failed());
        return new PassReport(answer, !delivered.complete());
    }
}
