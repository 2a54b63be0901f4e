package io.tocsin.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tocsin.store.TableSchema;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The keys named by the DynamoDB write requests sent while a {@link FuzzRun} records (PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem), so that it can recount the table's items by reading only those keys. Registered for every SDK
 * client of the tests as a global interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * in the test resources); it does nothing while no run records.
 */
public class WrittenKeys implements ExecutionInterceptor {

    /**
     * What was written while recording: how many write requests, every key they named, and whether every request
     * named its keys in full (if not, the keys are not the whole story and the caller must count otherwise).
     */
    public record Written(int requests, List<Map<String, AttributeValue>> keys, boolean complete) {
    }

    private static volatile boolean recording;
    private static final List<Map<String, AttributeValue>> KEYS = new ArrayList<>();
    private static int requests;
    private static boolean complete;

    /** Starts recording afresh (what was recorded before is dropped). */
    public static synchronized void start() {
        KEYS.clear();
        requests = 0;
        complete = true;
        recording = true;
    }

    /** Stops recording and returns what was written since {@link #start()}. */
    public static synchronized Written stop() {
        recording = false;
        Written written = new Written(requests, List.copyOf(KEYS), complete);
        KEYS.clear();
        requests = 0;
        return written;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!recording) {
            return;
        }
        Object request = context.request();
        if (request instanceof PutItemRequest put) {
            record(List.of(put.item()));
        } else if (request instanceof UpdateItemRequest update) {
            record(List.of(update.key()));
        } else if (request instanceof DeleteItemRequest delete) {
            record(List.of(delete.key()));
        } else if (request instanceof BatchWriteItemRequest batch) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (List<WriteRequest> writes : batch.requestItems().values()) {
                for (WriteRequest write : writes) {
                    items.add(write.putRequest() != null ? write.putRequest().item()
                            : write.deleteRequest() != null ? write.deleteRequest().key() : Map.of());
                }
            }
            record(items);
        }
    }

    /** Never throws: a recorder must not change what the request does. */
    private static synchronized void record(List<Map<String, AttributeValue>> items) {
        if (!recording) {
            return;
        }
        requests++;
        for (Map<String, AttributeValue> item : items) {
            AttributeValue pk = item == null ? null : item.get(TableSchema.PK);
            AttributeValue sk = item == null ? null : item.get(TableSchema.SK);
            if (pk == null || sk == null) {
                complete = false;
            } else {
                KEYS.add(Map.of(TableSchema.PK, pk, TableSchema.SK, sk));
            }
        }
    }
}
