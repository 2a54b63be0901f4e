package io.tocsin.support;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
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

    /**
     * The keys of every item of the table, for counting the items after each of many small writes without a Scan of
     * the whole table each time: read once with a consistent Scan, then kept current by reading (consistent GetItem)
     * every key the writes named ({@link WrittenKeys}): only an item whose key a write names can appear or disappear.
     * When the writes cannot be accounted for (a write request that was not recorded, or one without its keys), it
     * reads the whole table again. {@link #verify()} compares it with a Scan count.
     */
    public static final class Tracked {
        private final DynamoDbClient dynamo;
        private final String table;
        private final Set<Map<String, AttributeValue>> keys = new HashSet<>();
        private int scans;
        private int reads;

        public Tracked(DynamoDbClient dynamo, String table) {
            this.dynamo = dynamo;
            this.table = table;
            rescan();
        }

        public long count() {
            return keys.size();
        }

        /** The count after {@code writeRequests} write requests (as the request meter counted them) that wrote this. */
        public long after(long writeRequests, WrittenKeys.Written written) {
            if (!written.complete() || written.requests() != writeRequests) {
                rescan();
                return count();
            }
            for (Map<String, AttributeValue> key : new LinkedHashSet<>(written.keys())) {
                reads++;
                boolean exists = !dynamo.getItem(GetItemRequest.builder().tableName(table).key(key)
                        .consistentRead(true).projectionExpression("#pk").expressionAttributeNames(Map.of("#pk",
                                TableSchema.PK)).build()).item().isEmpty();
                if (exists) {
                    keys.add(key);
                } else {
                    keys.remove(key);
                }
            }
            return count();
        }

        /** Fails unless a consistent Scan counts as many items as are tracked. */
        public void verify() {
            long counted = TableItems.count(dynamo, table);
            if (counted != count()) {
                throw new AssertionError("the tracked item count " + count() + " differs from a Scan's " + counted
                        + ": a write was not recorded by WrittenKeys");
            }
        }

        /** How many times the whole table was read, and how many keys were read one by one. */
        public String cost() {
            return scans + " scan(s), " + reads + " key read(s)";
        }

        private void rescan() {
            scans++;
            keys.clear();
            dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true)
                    .projectionExpression("#pk, #sk").expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk",
                            TableSchema.SK)).build()).items()
                    .forEach(item -> keys.add(Map.of(TableSchema.PK, item.get(TableSchema.PK), TableSchema.SK,
                            item.get(TableSchema.SK))));
        }
    }
}
