package io.tocsin.alert;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An alert as stored in DynamoDB: gzip-compressed JSON. An event may be 512 KB but an item at most 400 KB, so when
 * the compressed alert would not fit, its metadata is replaced by a note (and then its description shortened) —
 * the alert itself is always kept.
 */
public final class AlertCodec {

    /** DynamoDB: an item is at most 400 KB including attribute names (DynamoDB developer guide, quotas). */
    public static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;
    /**
     * What the stored alert may take of an item, leaving room for the item's other attributes (the budget is in
     * {@code io.tocsin.incident.ItemBudget}); the dedup claim stores the same bytes.
     */
    public static final int MAX_STORED_ALERT_BYTES = 180 * 1024;
    static final String METADATA_REMOVED_NOTE = "_tocsin_note";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertCodec() {
    }

    public static byte[] encode(Alert alert) {
        byte[] packed = gzip(toJson(alert));
        if (packed.length <= MAX_STORED_ALERT_BYTES) {
            return packed;
        }
        ObjectNode note = JSON.createObjectNode().put(METADATA_REMOVED_NOTE,
                "metadata removed: the alert did not fit in a DynamoDB item (" + packed.length + " bytes compressed)");
        Alert lighter = new Alert(alert.severity(), alert.title(), alert.description(), alert.source(), note,
                alert.dedupKey(), alert.dedupKeyDerived(), alert.rule(), alert.receivedAt());
        packed = gzip(toJson(lighter));
        int keep = alert.description().length();
        while (packed.length > MAX_STORED_ALERT_BYTES && keep > 0) {
            keep /= 2;
            lighter = new Alert(alert.severity(), alert.title(),
                    alert.description().substring(0, keep) + " [description shortened by Tocsin to fit storage]",
                    alert.source(), note, alert.dedupKey(), alert.dedupKeyDerived(), alert.rule(), alert.receivedAt());
            packed = gzip(toJson(lighter));
        }
        return packed;
    }

    public static Alert decode(byte[] stored) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            JsonNode node = JSON.readTree(in);
            return new Alert(Severity.parse(node.path("severity").asText()).orElseThrow(),
                    node.path("title").asText(), node.path("description").asText(), node.path("source").asText(),
                    (ObjectNode) node.path("metadata"), node.path("dedup_key").asText(),
                    node.path("dedup_key_derived").asBoolean(),
                    node.hasNonNull("rule") ? node.get("rule").asText() : null,
                    Instant.parse(node.path("received_at").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("Stored alert is not readable", e);
        }
    }

    private static byte[] toJson(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        node.put("severity", alert.severity().wire());
        node.put("title", alert.title());
        node.put("description", alert.description());
        node.put("source", alert.source());
        node.set("metadata", alert.metadata());
        node.put("dedup_key", alert.dedupKey());
        node.put("dedup_key_derived", alert.dedupKeyDerived());
        node.put("rule", alert.rule());
        node.put("received_at", alert.receivedAt().toString());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        var out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (var zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
