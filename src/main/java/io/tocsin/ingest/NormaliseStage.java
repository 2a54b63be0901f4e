package io.tocsin.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Alert;
import io.tocsin.alert.AlertRule;
import io.tocsin.alert.KeySpace;
import io.tocsin.alert.Severity;

/**
 * Stage 2: a validated event becomes an {@link Alert}: strings trimmed, severity an enum, a named rule's defaults
 * filled in, and a dedup key derived from source and title when the caller gave none.
 */
@Singleton
public class NormaliseStage {

    static final String DERIVED_KEY_PREFIX = "auto:";

    public Alert apply(JsonNode event, Instant receivedAt) {
        return apply(event, receivedAt, null);
    }

    /**
     * As {@link #apply(JsonNode, Instant)}, for a caller whose keys live in the space of source prefix {@code scope}
     * (null: the shared space): the dedup key, given or derived, is stored in that space ({@link KeySpace}).
     */
    public Alert apply(JsonNode event, Instant receivedAt, String scope) {
        AlertRule rule = text(event, "rule") == null ? null : AlertRule.named(text(event, "rule")).orElseThrow();
        Severity severity = text(event, "severity") != null ? Severity.parse(text(event, "severity")).orElseThrow()
                : rule.severity();
        String title = text(event, "title") != null ? text(event, "title") : rule.title();
        String description = text(event, "description") != null ? text(event, "description")
                : rule != null ? rule.description() : "";
        String source = text(event, "source");
        ObjectNode metadata = event.get("metadata") instanceof ObjectNode given ? given.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        String dedupKey = text(event, "dedup_key");
        boolean derived = dedupKey == null;
        if (derived) {
            dedupKey = derivedKey(source, title);
        }
        dedupKey = KeySpace.key(scope, dedupKey);
        return new Alert(severity, title, description, source, metadata, dedupKey, derived,
                rule == null ? null : rule.ruleName(), receivedAt);
    }

    /** Stable across runs and machines: the same source and title always give the same key. */
    static String derivedKey(String source, String title) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(title.getBytes(StandardCharsets.UTF_8));
            return DERIVED_KEY_PREFIX + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asText().trim();
    }
}
