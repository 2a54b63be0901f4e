package io.tocsin.oncall.store;

import static io.tocsin.store.Attr.s;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.oncall.document.Change;
import io.tocsin.oncall.document.ChangeAction;
import io.tocsin.oncall.document.DocumentPlan;
import io.tocsin.oncall.document.InvalidDocumentException;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The on-call document in the table ({@link OnCallItems}: one item per person, schedule, policy, and routing, under
 * {@code pk=ONCALL}). Access patterns: the whole setup (who is on call, export, the apply plan) is one Query of that
 * partition, strongly consistent, paginated past 1 MB; apply writes one PutItem per created or changed entry and one
 * DeleteItem per removed one, nothing when the plan is empty.
 */
@Singleton
public class OnCallStore {

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public OnCallStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /**
     * The stored items do not form a valid document (an entry refers to one that is gone: two applies ran at once, or
     * the table was edited by hand). Reads answer this; the next {@code apply} replaces every entry.
     */
    public static class UnreadableException extends RuntimeException {
        UnreadableException(InvalidDocumentException cause) {
            super("the stored on-call document does not read (" + cause.problems().size() + " problem(s), first "
                    + cause.problems().get(0) + "); apply the document again to replace it", cause);
        }
    }

    /** The stored document ({@link OnCallDocument#EMPTY} when none was applied): one Query of the on-call partition. */
    public OnCallDocument load() {
        try {
            return OnCallItems.fromItems(items());
        } catch (InvalidDocumentException e) {
            throw new UnreadableException(e);
        }
    }

    private List<Map<String, AttributeValue>> items() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .expressionAttributeValues(Map.of(":pk", s(OnCallItems.PARTITION)))
                .consistentRead(true).build();
        return dynamo.queryPaginator(request).items().stream().toList();
    }

    /**
     * {@code apply}: one Query, then {@link #apply(OnCallDocument, OnCallDocument, boolean)} against what is stored.
     * When the stored items do not read as a document, every entry of {@code next} is written and every other stored
     * entry deleted, so that an apply always repairs the partition.
     */
    public List<Change> apply(OnCallDocument next, boolean write) {
        List<Map<String, AttributeValue>> items = items();
        OnCallDocument stored;
        try {
            stored = OnCallItems.fromItems(items);
        } catch (InvalidDocumentException e) {
            return rewrite(items, next, write);
        }
        return apply(stored, next, write);
    }

    private List<Change> rewrite(List<Map<String, AttributeValue>> items, OnCallDocument next, boolean write) {
        Map<String, OnCallItems.Entry> entries = OnCallItems.entries(next);
        var oversized = OnCallItems.oversized(entries);
        if (!oversized.isEmpty()) {
            throw new InvalidDocumentException(oversized);
        }
        List<Change> changes = new java.util.ArrayList<>(DocumentPlan.plan(OnCallDocument.EMPTY, next).stream()
                .map(c -> new Change(ChangeAction.UPDATE, c.kind(), c.id())).toList());
        if (changes.stream().noneMatch(c -> c.kind().equals("routing"))) {
            changes.add(new Change(ChangeAction.UPDATE, "routing", "routing")); // no routing: stored as none
        }
        items.stream().filter(item -> !entries.containsKey(Attr.string(item, TableSchema.SK)))
                .forEach(item -> changes.add(new Change(ChangeAction.DELETE, Attr.string(item, OnCallItems.KIND),
                        Attr.string(item, OnCallItems.ID))));
        if (write) {
            changes.forEach(change -> write(change, entries));
        }
        return changes;
    }

    /**
     * The changes from {@code stored} to {@code next}; with {@code write}, makes them, in the plan's order (creates
     * and updates of referenced entries first, deletes last), so that a crash half way leaves a readable document
     * that a second apply finishes. An entry over the item size limit is refused before anything is written.
     */
    public List<Change> apply(OnCallDocument stored, OnCallDocument next, boolean write) {
        Map<String, OnCallItems.Entry> entries = OnCallItems.entries(next);
        var oversized = OnCallItems.oversized(entries);
        if (!oversized.isEmpty()) {
            throw new InvalidDocumentException(oversized);
        }
        List<Change> changes = DocumentPlan.plan(stored, next);
        if (write) {
            changes.forEach(change -> write(change, entries));
        }
        return changes;
    }

    private void write(Change change, Map<String, OnCallItems.Entry> entries) {
        OnCallItems.Kind kind = OnCallItems.Kind.of(change.kind());
        if (change.action() == ChangeAction.DELETE) {
            dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(OnCallItems.PARTITION, kind.sk(change.id()))).build());
        } else {
            Map<String, AttributeValue> item = entries.get(kind.sk(change.id())).item();
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item).build());
        }
    }
}
