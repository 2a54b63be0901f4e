package io.tocsin.fault;

/**
 * The named points between two steps of a path at which a test may end an invocation (see {@link FaultHook}). Each is
 * a place where a Lambda can be killed for real (timeout, out of memory, a host lost); the crash matrix test proves
 * that nothing is lost, doubled or reordered from any of them.
 */
public enum FaultPoint {
    /** Ingest: the dedup claim (which holds the alert) is written; PagerDuty not called yet. */
    INGEST_CLAIMED,
    /** Ingest: PagerDuty answered the trigger; the incident is not written yet. */
    INGEST_PAGED,
    /** Ingest: the incident is written with its trigger's outcome. */
    INGEST_RECORDED,
    /** Duplicate: the claim counted it; the incident's count is not updated yet. */
    DUPLICATE_CLAIMED,
    /** A state change and the effects it causes are written, pending; nothing sent yet. */
    EFFECT_WRITTEN,
    /** An effect was claimed for sending by the sweep (lease written); not sent yet. */
    EFFECT_CLAIMED,
    /** The receiver took the effect (PagerDuty 202, SMTP accepted); its outcome is not recorded yet. */
    EFFECT_SENT,
    /** The effect's outcome is recorded. */
    EFFECT_RECORDED,
    /** Daily summary: the day is claimed; the email is not sent yet. */
    SUMMARY_CLAIMED,
    /** Daily summary: the email was accepted by SMTP; the day is not marked sent yet. */
    SUMMARY_SENT;
}
