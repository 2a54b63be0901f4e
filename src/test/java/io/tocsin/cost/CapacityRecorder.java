package io.tocsin.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Test-only SDK interceptor (registered by {@link CostInputsTest}'s profile) that prices every DynamoDB request the way
 * on-demand DynamoDB bills it, from the items themselves, since dynalite's consumed-capacity figures ignore item size
 * and indexes (Developer Guide: "Read/write capacity mode", "Global secondary indexes: writes"):
 * <ul>
 *   <li>a write: one write request unit per started KB of the larger of the item before and after, plus, per global
 *   secondary index, one unit per KB of the entry put when the item enters the index or stays in it with a change of
 *   what the index projects, of the entry deleted when it leaves, and both when the index key changes. An entry of an
 *   {@code ALL} index is the whole item, and any change of the item rewrites it; an entry of a {@code KEYS_ONLY} index
 *   ({@code claims}) is the table's and the index's keys, rewritten only when those change. A write that fails its
 *   condition costs the item's KBs;</li>
 *   <li>a read: a GetItem one read request unit per started 4 KB (half when eventually consistent); a Query the sum of
 *   the sizes of the items it read, rounded up to 4 KB (half when eventually consistent, as index Queries are).</li>
 * </ul>
 * The images before and after each write are read with a second, plain client while recording.
 */
public class CapacityRecorder implements ExecutionInterceptor {

    public record Use(String operation, double writeUnits, double readUnits) {
    }

    private static final ExecutionAttribute<Map<String, AttributeValue>> BEFORE = new ExecutionAttribute<>("tocsin.before");
    private static final List<Use> USES = new ArrayList<>();
    private static volatile DynamoDbClient side;

    public static synchronized void start(DynamoDbClient plainClient) {
        USES.clear();
        side = plainClient;
    }

    public static synchronized List<Use> stop() {
        side = null;
        List<Use> uses = List.copyOf(USES);
        USES.clear();
        return uses;
    }

    private static synchronized void add(Use use) {
        if (side != null) {
            USES.add(use);
        }
    }

    private record Target(String table, Map<String, AttributeValue> key) {
    }

    private static Target target(Object request) {
        if (request instanceof UpdateItemRequest u) {
            return new Target(u.tableName(), u.key());
        }
        if (request instanceof PutItemRequest p) {
            return new Target(p.tableName(), Attr.key(p.item().get(TableSchema.PK).s(), p.item().get(TableSchema.SK).s()));
        }
        if (request instanceof DeleteItemRequest d) {
            return new Target(d.tableName(), d.key());
        }
        return null;
    }

    private static Map<String, AttributeValue> image(Target target) {
        DynamoDbClient client = side;
        if (client == null) {
            return null;
        }
        var item = client.getItem(GetItemRequest.builder().tableName(target.table()).key(target.key())
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Target target = target(context.request());
        if (target != null && side != null) {
            attributes.putAttribute(BEFORE, image(target));
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (side == null) {
            return;
        }
        Object request = context.request();
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        Target target = target(request);
        if (target != null) {
            add(new Use(operation, writeUnits(attributes.getAttribute(BEFORE), image(target)), 0));
        } else if (context.response() instanceof GetItemResponse get) {
            boolean consistent = Boolean.TRUE.equals(((GetItemRequest) request).consistentRead());
            add(new Use(operation, 0, readUnits(ItemSize.of(get.item()), consistent)));
        } else if (context.response() instanceof QueryResponse query) {
            long bytes = query.items().stream().mapToLong(ItemSize::of).sum();
            if (query.count() != null && query.scannedCount() != null && query.count() > 0) {
                bytes = bytes * query.scannedCount() / query.count(); // filtered-out items are read (and billed) too
            }
            add(new Use(operation, 0, readUnits(bytes, Boolean.TRUE.equals(((QueryRequest) request).consistentRead()))));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (side != null && context.exception() instanceof ConditionalCheckFailedException
                && target(context.request()) != null) {
            String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
            add(new Use(operation, kb(ItemSize.of(attributes.getAttribute(BEFORE))), 0));
        }
    }

    /** Started kilobytes, at least one. */
    static long kb(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2.0;
    }

    static double writeUnits(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        long sizeBefore = ItemSize.of(before);
        long sizeAfter = ItemSize.of(after);
        double units = kb(Math.max(sizeBefore, sizeAfter));
        for (TableSchema.Index index : TableSchema.INDEXES) {
            boolean wasIn = in(before, index);
            boolean isIn = in(after, index);
            long entryBefore = entrySize(before, index);
            long entryAfter = entrySize(after, index);
            if (wasIn && isIn) {
                boolean keyChanged = !Objects.equals(before.get(index.hashKey()), after.get(index.hashKey()))
                        || !Objects.equals(before.get(index.rangeKey()), after.get(index.rangeKey()));
                if (keyChanged) {
                    units += kb(entryBefore) + kb(entryAfter);
                } else if (index.projection() == ProjectionType.ALL && !before.equals(after)) {
                    units += kb(entryAfter);
                }
            } else if (isIn) {
                units += kb(entryAfter);
            } else if (wasIn) {
                units += kb(entryBefore);
            }
        }
        return units;
    }

    /** The size of the item's entry in {@code index}: the whole item (ALL), or its table and index keys (KEYS_ONLY). */
    static long entrySize(Map<String, AttributeValue> item, TableSchema.Index index) {
        if (item == null) {
            return 0;
        }
        return switch (index.projection()) {
            case ALL -> ItemSize.of(item);
            case KEYS_ONLY -> {
                Map<String, AttributeValue> keys = new java.util.HashMap<>();
                for (String name : List.of(TableSchema.PK, TableSchema.SK, index.hashKey(), index.rangeKey())) {
                    if (item.containsKey(name)) {
                        keys.put(name, item.get(name));
                    }
                }
                yield ItemSize.of(keys);
            }
            default -> throw new IllegalStateException("no INCLUDE index in TableSchema: " + index);
        };
    }

    private static boolean in(Map<String, AttributeValue> item, TableSchema.Index index) {
        return item != null && item.containsKey(index.hashKey()) && item.containsKey(index.rangeKey());
    }
}
