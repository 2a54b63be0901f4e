package io.tocsin.oncall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.config.Settings;
import io.tocsin.oncall.document.Change;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.store.DynaliteServer;
import io.tocsin.store.TableBootstrap;
import io.tocsin.store.TestSettings;
import io.tocsin.support.DynaliteResource;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;

/**
 * The on-call store against dynalite, without the application: an apply that dies after any number of its writes
 * leaves a document that reads (no entry refers to a missing one), and the next apply finishes it.
 */
class OnCallStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "oncall-store-test";

    private static DynaliteServer server;
    private static DynamoDbClient dynamo;
    private static Settings settings;

    @BeforeAll
    static void start() {
        server = DynaliteServer.start(Projects.root(), null);
        dynamo = DynaliteResource.client(server.endpoint());
        TableBootstrap.ensureTable(dynamo, TABLE);
        settings = TestSettings.settings(TABLE);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    static ObjectNode example() throws IOException {
        return (ObjectNode) JSON.readTree(Files.readString(
                Projects.root().resolve("src/test/resources/oncall/example.json")));
    }

    /** The example without cat (who is in a layer and an override), with a new person dan taking cat's place. */
    static ObjectNode withoutCat() throws IOException {
        ObjectNode next = example();
        ArrayNode people = (ArrayNode) next.path("people");
        ObjectNode dan = ((ObjectNode) people.get(2).deepCopy()).put("id", "dan").put("name", "Dan Example");
        people.remove(2);
        people.add(dan);
        ObjectNode schedule = (ObjectNode) next.path("schedules").get(0);
        ArrayNode members = (ArrayNode) schedule.path("layers").get(0).path("members");
        members.set(2, JSON.getNodeFactory().textNode("dan"));
        ((ObjectNode) schedule.path("overrides").get(0)).put("person", "dan");
        return next;
    }

    /** The real client, except that write number {@code failAt} (0-based) and every later one fail. */
    static DynamoDbClient failingAfter(int failAt) {
        AtomicInteger writes = new AtomicInteger();
        return (DynamoDbClient) Proxy.newProxyInstance(OnCallStoreTest.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    boolean write = method.getName().equals("putItem") || method.getName().equals("deleteItem");
                    if (write && writes.getAndIncrement() >= failAt) {
                        throw new IllegalStateException("the invocation died before write " + failAt);
                    }
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void anApplyThatDiesAfterAnyWriteLeavesAReadableDocumentAndTheNextApplyFinishesIt() throws IOException {
        OnCallStore store = new OnCallStore(dynamo, settings);
        OnCallDocument before = DocumentReader.read(example());
        OnCallDocument after = DocumentReader.read(withoutCat());
        store.apply(store.load(), before, true);
        List<Change> plan = store.apply(before, after, false);
        assertEquals(List.of("create person dan", "update schedule primary", "delete person cat"),
                plan.stream().map(Change::toString).toList());
        for (int failAt = 0; failAt < plan.size(); failAt++) {
            store.apply(store.load(), before, true); // back to the first document
            assertEquals(before, store.load());
            OnCallStore dying = new OnCallStore(failingAfter(failAt), settings);
            assertThrows(IllegalStateException.class, () -> dying.apply(dying.load(), after, true));
            OnCallDocument halfway = store.load(); // reads: no schedule names a person that is gone
            assertEquals(failAt, store.apply(before, halfway, false).size(), "the first " + failAt + " writes");
            List<Change> rest = store.apply(halfway, after, true);
            assertEquals(plan.size() - failAt, rest.size());
            assertEquals(after, store.load(), "finished by the next apply after dying at write " + failAt);
        }
        assertTrue(store.apply(store.load(), after, true).isEmpty());
    }

    @Test
    void aPartitionThatDoesNotReadIsReportedAndTheNextApplyRepairsIt() throws IOException {
        OnCallStore store = new OnCallStore(dynamo, settings);
        OnCallDocument example = DocumentReader.read(example());
        store.apply(OnCallDocument.EMPTY, DocumentReader.read(withoutCat()), true);
        store.apply(example, true);
        assertEquals(example, store.load());
        // what two applies at once can leave: a layer naming a person whose item is gone
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(TABLE)
                .key(io.tocsin.store.Attr.key(OnCallItems.PARTITION, "PERSON#cat")).build());
        OnCallStore.UnreadableException unreadable = assertThrows(OnCallStore.UnreadableException.class, store::load);
        assertTrue(unreadable.getMessage().contains("unknown person 'cat'"), unreadable.getMessage());
        assertTrue(unreadable.getMessage().contains("apply the document again"), unreadable.getMessage());
        List<String> repair = store.apply(DocumentReader.read(withoutCat()), true).stream()
                .map(Change::toString).toList();
        assertTrue(repair.contains("update schedule primary") && repair.contains("update routing routing"),
                repair.toString());
        assertEquals(DocumentReader.read(withoutCat()), store.load(), "repaired by one apply");
        assertTrue(store.apply(DocumentReader.read(withoutCat()), true).isEmpty());
    }
}
