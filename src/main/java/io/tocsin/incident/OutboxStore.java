package io.tocsin.incident;

import static io.tocsin.incident.IncidentItems.*;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.store.IndexEntry;
import io.tocsin.store.TableSchema;
import io.tocsin.store.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The outbox's own writes on the incident item: taking an entry for sending (a lease), and recording what an attempt
 * came to. Every write is conditional on the outbox version the writer saw and on the entry's id and pending state at
 * its position, so it never lands on a newer change: a writer whose view is stale gets {@link Optional#empty()}, reads
 * again and decides again. Every write also keeps the {@code delivery-due} index entry: present, at the earliest time
 * the sweep must look, while any entry is pending; removed when none is.
 */
@Singleton
public class OutboxStore {

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public OutboxStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** Leases entry {@code entryId} (pending) of {@code seen} until {@code leaseUntil}; empty if {@code seen} is stale. */
    public Optional<Incident> claim(Incident seen, String entryId, Instant leaseUntil) {
        int position = seen.positionOf(entryId).orElseThrow();
        OutboxEntry leased = seen.outbox().get(position).leased(leaseUntil);
        return replace(seen, position, leased, List.of(), List.of());
    }

    /**
     * Records {@code updated} (the entry after an attempt, or closed) in place of the pending entry with its id, with
     * the follow-up effects it causes (a fallback email) and timeline events, in one conditional write.
     */
    public Optional<Incident> record(Incident seen, OutboxEntry updated, List<OutboxEntry> followUps,
            List<TimelineEvent> events) {
        int position = seen.positionOf(updated.id()).orElseThrow();
        return replace(seen, position, updated, followUps, events);
    }

    private Optional<Incident> replace(Incident seen, int position, OutboxEntry updated, List<OutboxEntry> followUps,
            List<TimelineEvent> events) {
        List<OutboxEntry> after = new ArrayList<>(seen.outbox());
        after.set(position, updated);
        after.addAll(followUps);
        Update update = new Update();
        String entryPath = update.name(OUTBOX) + "[" + position + "]";
        update.setRaw(entryPath, entry(updated));
        for (int i = 0; i < followUps.size(); i++) {
            // past the end of the list (whose length the version condition pins): appended, in order
            update.setRaw(update.name(OUTBOX) + "[" + (seen.outbox().size() + i) + "]", entry(followUps.get(i)));
        }
        if (!events.isEmpty()) {
            update.append(TIMELINE, events(events));
        }
        update.set(OUTBOX_VERSION, n(seen.outboxVersion() + 1));
        deliveryIndexAfter(update, seen.id(), after);
        update.condition(update.name(OUTBOX_VERSION) + " = " + update.value(n(seen.outboxVersion())) + " AND "
                + entryPath + "." + update.name("id") + " = " + update.value(s(updated.id())) + " AND "
                + entryPath + "." + update.name("state") + " = "
                + update.value(s(io.tocsin.delivery.DeliveryState.PENDING.wire())));
        try {
            return Optional.of(withinBudget(fromItem(dynamo.updateItem(update.request(settings.tableName(),
                    key(seen.id()), ReturnValue.ALL_NEW)).attributes())));
        } catch (ConditionalCheckFailedException stale) {
            return Optional.empty();
        }
    }

    /**
     * Keeps the item within {@link ItemBudget} after a write that grew it: a timeline longer than
     * {@link ItemBudget#TIMELINE_COMPACT_ABOVE} keeps its first {@link ItemBudget#TIMELINE_KEEP_FIRST} and last
     * {@link ItemBudget#TIMELINE_KEEP_LAST} events; an outbox longer than {@link ItemBudget#OUTBOX_COMPACT_ABOVE} drops
     * its oldest finished entries (never a pending one, never one of the last {@link ItemBudget#OUTBOX_KEEP_LAST});
     * the item counts what was dropped. One write, conditional on the outbox version and the timeline's length as
     * seen, raising the version: a concurrent writer's view turns stale and it reads again, as after any outbox
     * write. If another writer got there first, nothing is dropped now; the next write that grows the item does it.
     *
     * @return the incident as stored after the compaction, or {@code seen} when nothing was (or could be) dropped
     */
    public Incident withinBudget(Incident seen) {
        int timelineDrop = seen.timeline().size() > ItemBudget.TIMELINE_COMPACT_ABOVE
                ? seen.timeline().size() - ItemBudget.TIMELINE_KEEP_FIRST - ItemBudget.TIMELINE_KEEP_LAST : 0;
        int outboxDrop = 0;
        if (seen.outbox().size() > ItemBudget.OUTBOX_COMPACT_ABOVE) {
            int droppable = seen.outbox().size() - ItemBudget.OUTBOX_KEEP_LAST;
            while (outboxDrop < droppable && seen.outbox().get(outboxDrop).state().isFinal()) {
                outboxDrop++;
            }
        }
        if (timelineDrop <= 0 && outboxDrop == 0 || seen.outboxVersion() == 0) {
            return seen;
        }
        Update update = new Update();
        String timeline = update.name(TIMELINE);
        StringBuilder condition = new StringBuilder(update.name(OUTBOX_VERSION) + " = "
                + update.value(n(seen.outboxVersion())) + " AND size(" + timeline + ") = "
                + update.value(n(seen.timeline().size())));
        if (timelineDrop > 0) {
            List<TimelineEvent> kept = new ArrayList<>(seen.timeline().subList(0, ItemBudget.TIMELINE_KEEP_FIRST));
            kept.addAll(seen.timeline().subList(seen.timeline().size() - ItemBudget.TIMELINE_KEEP_LAST,
                    seen.timeline().size()));
            update.set(TIMELINE, events(kept));
            update.increment(TIMELINE_DROPPED, timelineDrop);
        }
        if (outboxDrop > 0) {
            update.set(OUTBOX, entries(seen.outbox().subList(outboxDrop, seen.outbox().size())));
            update.increment(OUTBOX_DROPPED, outboxDrop);
            condition.append(" AND size(").append(update.name(OUTBOX)).append(") = ")
                    .append(update.value(n(seen.outbox().size())));
        }
        update.set(OUTBOX_VERSION, n(seen.outboxVersion() + 1));
        update.condition(condition.toString());
        try {
            return fromItem(dynamo.updateItem(update.request(settings.tableName(), key(seen.id()),
                    ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return seen;
        }
    }

    /**
     * Upgrades an item of the format before the outbox: its PagerDuty deliveries ({@code pd}) become outbox entries,
     * in the order trigger, acknowledge, resolve; the item gets its outbox version and format. Does nothing if another
     * writer upgraded it first.
     */
    public void upgrade(Incident previousFormat) {
        Update update = new Update()
                .set(OUTBOX, entries(previousFormat.outbox()))
                .set(OUTBOX_VERSION, n(1))
                .set(FORMAT_ATTRIBUTE, n(FORMAT))
                .remove(PAGERDUTY);
        deliveryIndexAfter(update, previousFormat.id(), previousFormat.outbox());
        update.condition("attribute_not_exists(" + update.name(OUTBOX_VERSION) + ") AND attribute_exists("
                + update.name(CREATED_MS) + ")");
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(previousFormat.id()), ReturnValue.NONE));
        } catch (ConditionalCheckFailedException alreadyUpgraded) {
            // another invocation upgraded it
        }
    }

    /** Appends {@code effects} (pending) to the outbox in a state change's write, and raises the version. */
    static void appendEffects(Update update, String id, List<OutboxEntry> effects) {
        if (effects.isEmpty()) {
            return;
        }
        update.append(OUTBOX, entries(effects));
        String version = update.name(OUTBOX_VERSION);
        update.setExpression(version + " = " + version + " + " + update.value(n(1)));
        // the sweep must look no later than when these are due; an earlier-due entry already there is then looked at
        // at most one lease late, never missed (the entry is only ever moved, never removed, by a state change)
        deliveryIndex(update, id, effects);
    }

    /** The condition that the item is in the current format (an outbox version), for state changes. */
    static String currentFormat(Update update) {
        return "attribute_exists(" + update.name(OUTBOX_VERSION) + ")";
    }

    /** Indexes the item for the sweep at the earliest look any pending entry of {@code effects} needs. */
    static void deliveryIndex(Update update, String id, List<OutboxEntry> effects) {
        deliveryIndexKeys(id, effects).forEach(update::set);
    }

    /** The delivery-due index keys for these effects: at the earliest look of a pending one; none when none is. */
    static Map<String, AttributeValue> deliveryIndexKeys(String id, List<OutboxEntry> effects) {
        return effects.stream().filter(OutboxEntry::isPending).map(OutboxEntry::nextLook)
                .min(Comparator.naturalOrder())
                .map(at -> IndexEntry.deliveryDue(at, id).attributes())
                .orElse(Map.of());
    }

    /** The index entry for the whole outbox after a write: at the earliest look, or none when nothing is pending. */
    private static void deliveryIndexAfter(Update update, String id, List<OutboxEntry> outbox) {
        if (outbox.stream().anyMatch(OutboxEntry::isPending)) {
            deliveryIndex(update, id, outbox);
        } else {
            IndexEntry.removeFrom(TableSchema.Index.DELIVERY_DUE, update);
        }
    }

    /** The timeline entry for where an effect stands after an attempt (or being closed). */
    static TimelineEvent outcomeEvent(OutboxEntry entry, Instant at) {
        return outcomeEvent(entry, at, null);
    }

    /** As above; {@code delivered} is what the receiver's acceptance said (whom an email went to, …). */
    public static TimelineEvent outcomeEvent(OutboxEntry entry, Instant at, String delivered) {
        String what = entry.describe();
        String last = entry.errors().isEmpty() ? "" : entry.errors().get(entry.errors().size() - 1);
        if (entry.state() == io.tocsin.delivery.DeliveryState.DELIVERED && delivered != null) {
            if (entry.kind().isEscalation()) {
                return new TimelineEvent(at, TimelineEvent.Type.ESCALATED, "tocsin", delivered);
            }
            if (entry.kind() == EffectKind.PAGE_FAILED_EMAIL) {
                return new TimelineEvent(at, TimelineEvent.Type.DELIVERED, "tocsin", "fallback: " + delivered);
            }
            return new TimelineEvent(at, TimelineEvent.Type.DELIVERED, "tocsin", what + " accepted after "
                    + entry.attempts() + " attempt(s)" + (entry.kind() == EffectKind.PAGERDUTY_EVENT ? ""
                    : ": " + delivered));
        }
        return switch (entry.state()) {
            case DELIVERED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERED, "tocsin",
                    what + " accepted after " + entry.attempts() + " attempt(s)");
            case FAILED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_FAILED, "tocsin",
                    what + " failed: " + String.join("; ", entry.errors()));
            case PENDING -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_PENDING, "tocsin",
                    what + " pending until " + entry.dueAt() + (last.isEmpty() ? "" : ": " + last));
            case DISABLED -> new TimelineEvent(at, TimelineEvent.Type.DELIVERY_DISABLED, "tocsin",
                    what + " " + (last.isEmpty() ? "not sent: PAGERDUTY_ENABLED is false" : last));
            case SUPERSEDED -> new TimelineEvent(at, TimelineEvent.Type.SUPERSEDED, "tocsin",
                    what + " " + last);
        };
    }
}
