package io.tocsin.support;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Counting what is stored, for "nothing stored" assertions (a test may Scan; the functions never do). */
public final class TableItems {

    private TableItems() {
    }

    /** Every item of the table, counted with a consistent Scan (all pages). */
    public static long count(DynamoDbClient dynamo, String table) {
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).select(Select.COUNT).consistentRead(true)
                .build()).stream().mapToLong(page -> page.count()).sum();
    }
}
