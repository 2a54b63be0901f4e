package io.tocsin.incident;

import io.tocsin.alert.AlertCodec;

/**
 * The size budget of an incident item. DynamoDB refuses an item over 400 KB, counting every attribute's name and
 * value (strings as UTF-8, binary as is; DynamoDB developer guide, "Service, account, and table quotas in Amazon
 * DynamoDB", "Item size"; and "Item sizes and formats"), so every part that can grow is bounded where its data enters:
 *
 * <pre>
 * stored alert (gzip'd JSON, AlertCodec: metadata, then description cut with a note)   180 KiB  = 184,320
 * title 1,024 chars x 3 bytes (a UTF-16 unit is at most 3 bytes of UTF-8)                        3,072
 * source, dedup_key, acknowledged_by/_actor, resolved_by/_actor: 255 chars x 3 bytes each        4,590
 * resolution_notes 10,000 chars x 3 bytes, stored once (not again in the timeline)              30,000
 * every other attribute: ids, times, states, counters, index keys (about 30, each under 130)     4,000
 * timeline: at most 96 events (compacted to the first 8 and the last 80 when a write leaves it
 *   above 92; one write adds at most 4), each at most 900 bytes (actor 64 chars, detail 200
 *   chars, x 3 bytes; time, type, names and list/map overhead under 108)                        86,400
 * outbox: at most 28 entries (its oldest finished entries dropped when a write leaves it above
 *   24; one write adds at most 4), each at most 2,100 bytes (3 errors of 200 chars x 3 bytes;
 *   the rest under 300)                                                                         58,800
 * total                                                                                        371,182  (362 KiB)
 * </pre>
 *
 * which is 38,418 bytes under the 409,600 of the limit. The outbox can keep 24 entries only if its unfinished
 * (pending) entries are fewer: a repeat is not forwarded while an earlier trigger of the incident is still pending
 * ({@link IncidentWrites#forwardRepeat}), so the pending entries are the trigger, one repeat, acknowledge, resolve,
 * and each escalation level's REST call and email.
 */
public final class ItemBudget {

    /** DynamoDB's item size limit: 400 KB, attribute names included. */
    public static final int DYNAMODB_MAX_ITEM_BYTES = AlertCodec.DYNAMODB_MAX_ITEM_BYTES;
    /** Timeline text: an event's detail is cut here (with a marker). */
    public static final int MAX_DETAIL_CHARS = 200;
    /** Timeline text: an event's actor is cut here (with a marker). */
    public static final int MAX_ACTOR_CHARS = 64;
    /**
     * A write that leaves more timeline events than this compacts the timeline: two hours of an alert firing every
     * minute (23 forwarded repeats, each with its delivery: 48 events) stay whole.
     */
    public static final int TIMELINE_COMPACT_ABOVE = 92;
    /** Kept at the start of a compacted timeline: how the incident began. */
    public static final int TIMELINE_KEEP_FIRST = 8;
    /** Kept at the end of a compacted timeline: what happened last. */
    public static final int TIMELINE_KEEP_LAST = 80;
    /** A write that leaves more outbox entries than this drops its oldest finished entries. */
    public static final int OUTBOX_COMPACT_ABOVE = 24;
    /** Entries a compacted outbox keeps at least (the latest), finished or not. */
    public static final int OUTBOX_KEEP_LAST = 16;
    /** An outbox entry keeps this many errors, the latest. */
    public static final int MAX_ERRORS_PER_ENTRY = 3;
    /** Each error of an outbox entry is cut here (PagerDuty's answers, SMTP messages). */
    public static final int MAX_ERROR_CHARS = 200;
    /** The worst case above, in bytes: what {@code ItemBudgetTest} checks the arithmetic against. */
    public static final int WORST_CASE_BYTES = 184_320 + 3_072 + 4_590 + 30_000 + 4_000 + 96 * 900 + 28 * 2_100;

    private ItemBudget() {
    }
}
