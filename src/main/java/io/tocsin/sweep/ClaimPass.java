package io.tocsin.sweep;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.ingest.ClaimSweep;
import io.tocsin.time.Deadline;

/** Claims whose invocation died before writing their incident are finished ({@link ClaimSweep}). */
@Singleton
public class ClaimPass implements SweepPass {

    private final ClaimSweep claims;

    @Inject
    public ClaimPass(ClaimSweep claims) {
        this.claims = claims;
    }

    @Override
    public PassReport run(Instant now, Deadline deadline) {
        ClaimSweep.Report recovered = claims.run(now, deadline);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putObject("claims").put("checked", recovered.checked()).put("recovered", recovered.recovered());
        return new PassReport(answer, !recovered.complete());
    }
}
