package io.tocsin.oncall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.InvalidDocumentException;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.document.Problem;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The on-call item format: sizes of a large realistic document, the size check, and reading format 1 items. */
public class OnCallItemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 200 people with three contacts each, 30 schedules of 3 layers and 60 overrides, 30 policies. */
    public static ObjectNode large(int overridesPerSchedule) {
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        ArrayNode people = root.putArray("people");
        for (int i = 0; i < 200; i++) {
            ObjectNode p = people.addObject().put("id", "person-" + i).put("name", "Person Number " + i + " Example")
                    .put("zone", i % 2 == 0 ? "America/New_York" : "Australia/Lord_Howe");
            ArrayNode contacts = p.putArray("contacts");
            contacts.addObject().put("id", "mail").put("kind", "email").put("address", "person-" + i + "@example.com");
            contacts.addObject().put("id", "phone").put("kind", "sms").put("address", "+1415555" + (1000 + i));
            contacts.addObject().put("id", "slack").put("kind", "slack").put("address", "U0" + (1000000 + i));
            ArrayNode rules = p.putArray("rules");
            rules.addObject().put("contact", "mail").put("after", "PT0S");
            rules.addObject().put("contact", "slack").put("after", "PT2M");
            rules.addObject().put("contact", "phone").put("after", "PT5M");
        }
        ArrayNode schedules = root.putArray("schedules");
        ArrayNode policies = root.putArray("policies");
        for (int s = 0; s < 30; s++) {
            ObjectNode schedule = schedules.addObject().put("id", "schedule-" + s).put("name", "Team " + s)
                    .put("zone", "Europe/Berlin");
            ArrayNode layers = schedule.putArray("layers");
            for (int l = 0; l < 3; l++) {
                ObjectNode layer = layers.addObject().put("id", "layer-" + l).put("start", "2026-01-05T09:00")
                        .put("turn", l == 2 ? "PT12H" : "P1W");
                ArrayNode members = layer.putArray("members");
                for (int m = 0; m < 10; m++) {
                    members.add("person-" + ((s * 7 + l * 10 + m) % 200));
                }
                if (l == 1) {
                    layer.putArray("restrictions").addObject().put("start", "09:00").put("length", "PT8H")
                            .putArray("days").add("monday").add("tuesday").add("wednesday").add("thursday")
                            .add("friday");
                }
            }
            ArrayNode overrides = schedule.putArray("overrides");
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int o = 0; o < overridesPerSchedule; o++) {
                overrides.addObject().put("person", "person-" + (o % 200))
                        .put("start", start.plusSeconds(o * 7200L).toString())
                        .put("end", start.plusSeconds(o * 7200L + 3600).toString());
            }
            ObjectNode policy = policies.addObject().put("id", "policy-" + s).put("name", "Policy " + s)
                    .put("repeats", 2);
            ArrayNode steps = policy.putArray("steps");
            steps.addObject().put("delay", "PT10M").putArray("targets").addObject().put("kind", "schedule")
                    .put("ref", "schedule-" + s);
            steps.addObject().put("delay", "PT15M").putArray("targets").addObject().put("kind", "schedule-layer")
                    .put("ref", "schedule-" + s).put("layer", "layer-0");
        }
        root.putObject("routing").put("default", "policy-0");
        return root;
    }

    @Test
    void aLargeDocumentFitsWithRoomToSpareAndReadsBackEqual() {
        OnCallDocument document = DocumentReader.read(large(60));
        Map<String, OnCallItems.Entry> entries = OnCallItems.entries(document);
        assertEquals(200 + 30 + 30 + 1, entries.size());
        long largest = 0;
        long total = 0;
        String largestPath = null;
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (OnCallItems.Entry entry : entries.values()) {
            long size = OnCallItems.size(entry.item());
            total += size;
            if (size > largest) {
                largest = size;
                largestPath = entry.path();
            }
            items.add(entry.item());
        }
        System.out.printf("ONCALL ITEMS items=%d total_bytes=%d largest_bytes=%d (%s) limit=%d%n", entries.size(),
                total, largest, largestPath, OnCallItems.MAX_ITEM_BYTES);
        assertTrue(largest < OnCallItems.MAX_ITEM_BYTES / 40, "the largest item is far from the limit: " + largest);
        assertTrue(total < 1024 * 1024, "the whole setup is one page of a Query (1 MB): " + total);
        assertEquals(List.of(), OnCallItems.oversized(entries));
        java.util.Collections.shuffle(items, new java.util.Random(21));
        assertEquals(document, OnCallItems.fromItems(items), "items in any order read back to the same document");
    }

    @Test
    void anEntryOverTheItemLimitIsRefusedByItsPathBeforeAnyWrite() {
        // about 5,000 overrides of ~110 bytes: one schedule over 400 KB
        OnCallDocument document = DocumentReader.read(large(5000));
        List<Problem> problems = OnCallItems.oversized(OnCallItems.entries(document));
        assertEquals(30, problems.size());
        assertEquals("$.schedules[0]", problems.get(0).path());
        assertTrue(problems.get(0).message().contains("409600"), problems.get(0).message());
        System.out.println("ONCALL OVERSIZED " + problems.get(0));
        OnCallStore store = new OnCallStore(null, null); // refused before any request: no client needed
        InvalidDocumentException refused = assertThrows(InvalidDocumentException.class,
                () -> store.apply(OnCallDocument.EMPTY, document, true));
        assertEquals(problems, refused.problems());
    }

    /** Items as format 1 writes them, spelled out: a later format must keep reading these. */
    @Test
    void formatOneItemsAsStoredReadBack() throws IOException {
        List<Map<String, AttributeValue>> items = List.of(
                item("PERSON#ann", "person", "ann", 0, """
                        {"id":"ann","name":"Ann","zone":"Europe/Berlin","contacts":[{"id":"mail","kind":"email",\
                        "address":"ann@example.com"}],"rules":[{"contact":"mail","after":"PT0S"}]}"""),
                item("SCHEDULE#primary", "schedule", "primary", 0, """
                        {"id":"primary","name":"Primary","zone":"Europe/Berlin","layers":[{"id":"l","start":\
                        "2026-01-05T09:00","turn":"P1W","members":["ann"],"restrictions":[]}],"overrides":[]}"""),
                item("POLICY#default", "policy", "default", 0, """
                        {"id":"default","name":"Default","repeats":1,"steps":[{"delay":"PT10M","targets":\
                        [{"kind":"schedule","ref":"primary"}]}]}"""),
                item("ROUTING", "routing", "routing", 0, """
                        {"rules":[],"default":"default"}"""));
        OnCallDocument document = OnCallItems.fromItems(items);
        assertEquals("ann", document.people().get(0).id());
        assertEquals("default", document.routing().defaultPolicy());
        assertEquals(1, document.policies().get(0).repeats());
        // what this version writes for the same document is the same format
        OnCallItems.entries(document).values().forEach(e -> assertEquals("1", e.item().get("format").n()));
        assertEquals(OnCallDocument.EMPTY, OnCallItems.fromItems(List.of()));
        assertTrue(Files.isRegularFile(Projects.root().resolve("src/test/resources/oncall/example.json")));
    }

    @Test
    void anItemOfANewerFormatIsRefusedByNameNotMisread() {
        Map<String, AttributeValue> newer = item("PERSON#ann", "person", "ann", 0, "{}");
        newer.put("format", AttributeValue.fromN("2"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OnCallItems.fromItems(List.of(newer)));
        assertTrue(e.getMessage().contains("PERSON#ann has format 2"), e.getMessage());
    }

    private static Map<String, AttributeValue> item(String sk, String kind, String id, int position, String body) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("ONCALL"));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("format", AttributeValue.fromN("1"));
        item.put("kind", AttributeValue.fromS(kind));
        item.put("id", AttributeValue.fromS(id));
        item.put("position", AttributeValue.fromN(Integer.toString(position)));
        item.put("body", AttributeValue.fromS(body));
        return item;
    }
}
