package io.tocsin.sweep;

import java.time.Instant;

import io.tocsin.time.Deadline;

/**
 * One pass of the {@code escalation-sweep} function ({@link SweepFunction#passes()}, in order). A pass works from stored
 * state only, is safe to rerun and to overlap, and starts no step that could not end before {@code deadline} (the
 * remaining budget of the run): what it has no time for it leaves to the next run, and says so.
 */
public interface SweepPass {

    /** Does what is due at {@code now} within {@code deadline}. */
    PassReport run(Instant now, Deadline deadline);
}
