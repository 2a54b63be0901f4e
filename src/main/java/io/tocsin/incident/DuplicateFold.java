package io.tocsin.incident;

import static io.tocsin.store.Attr.n;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.dedup.ClaimCounts;
import io.tocsin.dedup.DedupStore;
import io.tocsin.store.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A duplicate is counted on its dedup claim only (one request per duplicate): the claim's {@code hits - 1} is the
 * total number of duplicates of the incident it holds, from the first alert on. An incident's {@code duplicate_count}
 * and {@code last_seen_ms} as people see them are therefore folded in from the claim when the incident is read, for
 * the incidents whose claim may have counted more than the item says: the open ones, and a resolved one whose fold
 * did not happen yet ({@code duplicates_unfolded}, set by the resolve and removed by the fold that follows it).
 *
 * <p>The fold takes the larger of the stored count and the claim's, never their sum: an item in the previous format
 * was counted on the incident with the claim's own {@code hits - 1} (only ever upwards), so the claim's figure
 * already includes it, and folding twice changes nothing. One BatchGetItem per page of incidents that need it.
 */
@Singleton
public class DuplicateFold {

    private final ClaimCounts claims;

    @Inject
    public DuplicateFold(ClaimCounts claims) {
        this.claims = claims;
    }

    /** Whether the stored count of this item may be behind its claim's. */
    static boolean needsFold(Map<String, AttributeValue> item) {
        if (Attr.string(item, IncidentItems.DEDUP_KEY) == null || !item.containsKey(IncidentItems.CREATED_MS)) {
            return false;
        }
        if (item.containsKey(IncidentItems.DUPLICATES_UNFOLDED)) {
            return true;
        }
        IncidentStatus status = IncidentStatus.fromWire(Attr.string(item, IncidentItems.STATUS));
        return status == IncidentStatus.TRIGGERED || status == IncidentStatus.ACKNOWLEDGED;
    }

    /** The items with their claims' counts folded in (the same list when none needs it). */
    public List<Map<String, AttributeValue>> fold(List<Map<String, AttributeValue>> items) {
        List<String> keys = items.stream().filter(DuplicateFold::needsFold)
                .map(item -> Attr.string(item, IncidentItems.DEDUP_KEY)).toList();
        if (keys.isEmpty()) {
            return items;
        }
        Map<String, DedupStore.ClaimCount> counts = claims.counts(keys);
        List<Map<String, AttributeValue>> folded = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            DedupStore.ClaimCount count = needsFold(item) ? counts.get(Attr.string(item, IncidentItems.DEDUP_KEY))
                    : null;
            folded.add(count == null ? item : fold(item, count));
        }
        return folded;
    }

    /** {@code item} with {@code count} folded in, if the claim holds this incident. */
    static Map<String, AttributeValue> fold(Map<String, AttributeValue> item, DedupStore.ClaimCount count) {
        if (!Attr.string(item, IncidentItems.ID).equals(count.incidentId())) {
            return item;
        }
        Map<String, AttributeValue> folded = new java.util.HashMap<>(item);
        long stored = Attr.number(item, IncidentItems.DUPLICATE_COUNT, 0);
        folded.put(IncidentItems.DUPLICATE_COUNT, n(Math.max(stored, count.duplicates())));
        var seen = Attr.instantMillis(item, IncidentItems.LAST_SEEN_MS);
        if (count.lastSeen() != null && (seen == null || count.lastSeen().isAfter(seen))) {
            folded.put(IncidentItems.LAST_SEEN_MS, n(count.lastSeen().toEpochMilli()));
        }
        return folded;
    }
}
