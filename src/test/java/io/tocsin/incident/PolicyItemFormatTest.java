package io.tocsin.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tocsin.delivery.DeliveryState;
import io.tocsin.delivery.EffectKind;
import io.tocsin.delivery.OutboxEntry;
import io.tocsin.store.Attr;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The on-call additions to the stored format are additive (no application): an outbox entry's {@code to} is one more
 * key, every key the previous version reads is written as before, and an entry or incident without the new keys (all
 * items of the previous version) reads with none.
 */
class PolicyItemFormatTest {

    private static final Instant AT = Instant.parse("2026-12-08T01:00:00Z");

    /** The keys the previous version's reader reads (IncidentItems.entry at the commit before on-call runtime). */
    private static final Set<String> PREVIOUS_KEYS = Set.of("id", "kind", "action", "level", "state", "attempts",
            "last_status", "errors", "due_ms", "lease_ms", "created_ms", "done_ms");

    @Test
    void anEntryWithARecipientKeepsEveryPreviousKeyAndAddsOnlyTo() {
        OutboxEntry plain = OutboxEntry.pending(EffectKind.ONCALL_EMAIL, null, 2, AT, AT.plusSeconds(60))
                .withId("oc-x-0-1-abc-alice");
        OutboxEntry addressed = plain.addressedTo("alice@example.com");
        Map<String, AttributeValue> before = IncidentItems.entry(plain).m();
        Map<String, AttributeValue> after = new HashMap<>(IncidentItems.entry(addressed).m());
        assertEquals("alice@example.com", Attr.string(after, "to"));
        after.remove("to");
        assertEquals(before, after, "what the previous version reads is unchanged");
        assertEquals(Set.of(), Set.copyOf(before.keySet()).stream().filter(k -> !PREVIOUS_KEYS.contains(k))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(addressed, IncidentItems.entry(IncidentItems.entry(addressed)), "read back whole");
        assertNull(IncidentItems.entry(IncidentItems.entry(plain)).to(), "an entry without 'to' reads with none");
    }

    @Test
    void theRecipientSurvivesTheOutcome() {
        OutboxEntry addressed = OutboxEntry.pending(EffectKind.ONCALL_EMAIL, null, 1, AT, null).addressedTo("a@b.c");
        assertEquals("a@b.c", addressed.attempted(DeliveryState.DELIVERED, 0, java.util.List.of(), null, AT).to());
        assertEquals("a@b.c", addressed.closed(DeliveryState.SUPERSEDED, "acknowledged", AT).to());
        assertEquals("a@b.c", addressed.leased(AT).to());
    }
}
