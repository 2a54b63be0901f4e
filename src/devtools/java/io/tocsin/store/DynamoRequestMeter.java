package io.tocsin.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the DynamoDB requests Tocsin sends, per operation, process-wide and for the current thread. Registered on the
 * client with {@code quarkus.dynamodb.interceptors}. {@link #measure(Supplier)} tells how many requests one piece of
 * work made (the client is synchronous, so a request runs on the calling thread).
 */
public class DynamoRequestMeter implements ExecutionInterceptor {

    private static final Map<String, AtomicLong> TOTALS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, Integer>> CURRENT = new ThreadLocal<>();
    /** Key under which {@link #measure} sums the items Query and Scan responses evaluated (their ScannedCount). */
    private static final String SCANNED = "#scanned";

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
        TOTALS.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        Map<String, Integer> current = CURRENT.get();
        if (current != null) {
            current.merge(operation, 1, Integer::sum);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Map<String, Integer> current = CURRENT.get();
        if (current == null) {
            return;
        }
        if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.QueryResponse query
                && query.scannedCount() != null) {
            current.merge(SCANNED, query.scannedCount(), Integer::sum);
        } else if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.ScanResponse scan
                && scan.scannedCount() != null) {
            current.merge(SCANNED, scan.scannedCount(), Integer::sum);
        }
    }

    /**
     * The result of some work, the DynamoDB requests it sent by operation name (PutItem, UpdateItem, ...), and how
     * many items its Queries and Scans evaluated (ScannedCount: what DynamoDB reads and bills, before any filter).
     */
    public record Measured<T>(T result, Map<String, Integer> requests, long itemsScanned) {
        public int total() {
            return requests.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static <T> Measured<T> measure(Supplier<T> work) {
        Map<String, Integer> outer = CURRENT.get();
        Map<String, Integer> mine = new ConcurrentHashMap<>();
        CURRENT.set(mine);
        try {
            T result = work.get();
            Map<String, Integer> requests = new java.util.HashMap<>(mine);
            Integer scanned = requests.remove(SCANNED);
            return new Measured<>(result, Map.copyOf(requests), scanned == null ? 0 : scanned);
        } finally {
            CURRENT.set(outer);
            if (outer != null) {
                mine.forEach((op, n) -> outer.merge(op, n, Integer::sum));
            }
        }
    }

    public static long total(String operation) {
        AtomicLong n = TOTALS.get(operation);
        return n == null ? 0 : n.get();
    }
}
