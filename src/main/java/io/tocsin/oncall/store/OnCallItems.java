package io.tocsin.oncall.store;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.DocumentWriter;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.document.Problem;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item format of the on-call document: one item per person, schedule and policy, and one for routing, all in the
 * partition {@link #PARTITION} ({@code sk=PERSON#<id>}, {@code SCHEDULE#<id>}, {@code POLICY#<id>}, {@code ROUTING}).
 * Each item holds {@link #FORMAT} (the item format, now {@value #FORMAT_VERSION}), {@code position} (its place in
 * the applied document, so that {@code export} gives the same order back) and {@code body}: that entry of the document
 * exactly as {@link DocumentWriter} writes it, so the stored form is the document format itself and the document
 * reader validates what is read back.
 */
public final class OnCallItems {

    /** The one partition of the on-call document: a read of the whole setup is one Query of it, never a Scan. */
    public static final String PARTITION = "ONCALL";
    static final String FORMAT = "format";
    /** The item format this version writes; {@link #fromItems} reads it and refuses a newer one by name. */
    public static final int FORMAT_VERSION = 1;
    static final String KIND = "kind";
    static final String ID = "id";
    static final String POSITION = "position";
    static final String BODY = "body";
    static final String ROUTING_SK = "ROUTING";
    /**
     * DynamoDB's maximum item size, 400 KB including attribute names
     * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items).
     */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnCallItems() {
    }

    /** The kinds of entry, with the document array each belongs to and its sort-key prefix. */
    enum Kind {
        PERSON("people", "PERSON#"), SCHEDULE("schedules", "SCHEDULE#"), POLICY("policies", "POLICY#"),
        ROUTING("routing", ROUTING_SK);

        final String array;
        final String prefix;

        Kind(String array, String prefix) {
            this.array = array;
            this.prefix = prefix;
        }

        String sk(String id) {
            return this == ROUTING ? ROUTING_SK : prefix + id;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String change) {
            return valueOf(change.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One entry of a document as it is stored, and the document path problems about it are named by. */
    record Entry(Kind kind, String id, int position, JsonNode body, String path) {
        Map<String, AttributeValue> item() {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, kind.sk(id)));
            item.put(FORMAT, n(FORMAT_VERSION));
            item.put(KIND, s(kind.wire()));
            item.put(ID, s(id));
            item.put(POSITION, n(position));
            item.put(BODY, s(text(body)));
            return item;
        }
    }

    /** Every entry of the document, keyed by kind and id. */
    static Map<String, Entry> entries(OnCallDocument document) {
        ObjectNode tree = DocumentWriter.tree(document);
        Map<String, Entry> entries = new HashMap<>();
        for (Kind kind : List.of(Kind.PERSON, Kind.SCHEDULE, Kind.POLICY)) {
            ArrayNode array = (ArrayNode) tree.get(kind.array);
            for (int i = 0; i < array.size(); i++) {
                String id = array.get(i).path("id").asText();
                entries.put(kind.sk(id), new Entry(kind, id, i, array.get(i), "$." + kind.array + "[" + i + "]"));
            }
        }
        entries.put(ROUTING_SK, new Entry(Kind.ROUTING, "routing", 0, tree.get("routing"), "$.routing"));
        return entries;
    }

    /** An entry too large for one item, named by its path, with the limit; empty when all fit. */
    static List<Problem> oversized(Map<String, Entry> entries) {
        List<Problem> problems = new ArrayList<>();
        entries.values().stream().sorted(Comparator.comparing(Entry::path)).forEach(entry -> {
            long size = size(entry.item());
            if (size > MAX_ITEM_BYTES) {
                problems.add(new Problem(entry.path(), "is " + size + " bytes stored, over DynamoDB's item limit of "
                        + MAX_ITEM_BYTES + " bytes; split it (e.g. fewer overrides per schedule)"));
            }
        });
        return problems;
    }

    /**
     * An item's size as DynamoDB counts it for the limit: the UTF-8 length of every attribute name and string value,
     * and up to 21 bytes per number (the documented upper bound).
     */
    static long size(Map<String, AttributeValue> item) {
        long size = 0;
        for (var attribute : item.entrySet()) {
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
            AttributeValue value = attribute.getValue();
            size += value.s() != null ? value.s().getBytes(StandardCharsets.UTF_8).length : 21;
        }
        return size;
    }

    /**
     * The document the items hold (items in any order). An item of a newer format than this version reads is refused
     * by name rather than misread; no items at all is the empty document.
     */
    static OnCallDocument fromItems(List<Map<String, AttributeValue>> items) {
        if (items.isEmpty()) {
            return OnCallDocument.EMPTY;
        }
        ObjectNode root = JSON.createObjectNode().put("version", OnCallDocument.VERSION);
        Map<Kind, List<Map<String, AttributeValue>>> byKind = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            long format = Attr.number(item, FORMAT, 0);
            if (format < 1 || format > FORMAT_VERSION) {
                throw new IllegalStateException("on-call item " + Attr.string(item, TableSchema.SK) + " has format "
                        + format + "; this version reads formats 1.." + FORMAT_VERSION + " (written by a newer one?)");
            }
            byKind.computeIfAbsent(Kind.valueOf(Attr.string(item, KIND).toUpperCase(java.util.Locale.ROOT)),
                    k -> new ArrayList<>()).add(item);
        }
        for (Kind kind : List.of(Kind.PERSON, Kind.SCHEDULE, Kind.POLICY)) {
            ArrayNode array = root.putArray(kind.array);
            byKind.getOrDefault(kind, List.of()).stream()
                    .sorted(Comparator.<Map<String, AttributeValue>>comparingLong(i -> Attr.number(i, POSITION, 0))
                            .thenComparing(i -> Attr.string(i, ID)))
                    .forEach(item -> array.add(parse(item)));
        }
        List<Map<String, AttributeValue>> routing = byKind.getOrDefault(Kind.ROUTING, List.of());
        if (!routing.isEmpty()) {
            root.set("routing", parse(routing.get(0)));
        }
        return DocumentReader.read(root);
    }

    private static JsonNode parse(Map<String, AttributeValue> item) {
        try {
            return JSON.readTree(Attr.string(item, BODY));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("on-call item " + Attr.string(item, TableSchema.SK) + " is not JSON", e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }
}
