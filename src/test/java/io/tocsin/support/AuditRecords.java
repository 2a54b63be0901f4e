package io.tocsin.support;

import java.util.List;
import java.util.Map;

import io.tocsin.audit.AuditLog;
import io.tocsin.store.Attr;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The audit records (pk AUDIT) of a table, oldest first, for tests: one Query. */
public final class AuditRecords {

    private AuditRecords() {
    }

    public static List<Map<String, AttributeValue>> all(DynamoDbClient dynamo, String table) {
        return dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(AuditLog.PARTITION))).consistentRead(true))
                .items().stream().toList();
    }

    /** The records about {@code target} (a token or window id), oldest first. */
    public static List<Map<String, AttributeValue>> of(DynamoDbClient dynamo, String table, String target) {
        return all(dynamo, table).stream().filter(r -> target.equals(Attr.string(r, "target"))).toList();
    }
}
