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

    /** The stored document ({@link OnCallDocument#EMPTY} when none was applied): one Query of the on-call partition. */
    public OnCallDocument load() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .expressionAttributeValues(Map.of(":pk", s(OnCallItems.PARTITION)))
                .consistentRead(true).build();
        return OnCallItems.fromItems(dynamo.queryPaginator(request).items().stream().toList());
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
