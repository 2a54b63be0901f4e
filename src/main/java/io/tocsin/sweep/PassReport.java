package io.tocsin.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link SweepPass} did and what it left.
 *
 * @param answer the pass's fields of the sweep's answer (e.g. {@code "escalated": [...]})
 * @param leftWork whether it stopped at the budget with work left for the next run
 */
public record PassReport(ObjectNode answer, boolean leftWork) {
}
