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
 *   secondary index (all four project ALL), one unit per KB of the entry put when the item enters the index or stays
 *   in it with a change, of the entry deleted when it leaves, and both when the index key changes; a write that fails
 *   its condition costs the item's KBs;</li>
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
            if (wasIn && isIn) {
                boolean keyChanged = !Objects.equals(before.get(index.hashKey()), after.get(index.hashKey()))
                        || !Objects.equals(before.get(index.rangeKey()), after.get(index.rangeKey()));
                if (keyChanged) {
                    units += kb(sizeBefore) + kb(sizeAfter);
                } else if (!before.equals(after)) {
                    units += kb(sizeAfter);
                }
            } else if (isIn) {
                units += kb(sizeAfter);
            } else if (wasIn) {
                units += kb(sizeBefore);
            }
        }
        return units;
    }

    private static boolean in(Map<String, AttributeValue> item, TableSchema.Index index) {
        return item != null && item.containsKey(index.hashKey()) && item.containsKey(index.rangeKey());
    }
}
