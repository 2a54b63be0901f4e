package io.tocsin.pagerduty;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Webhook deliveries already applied, by {@code X-Webhook-Id} ({@code pk=WEBHOOK#<id>}). PagerDuty delivers at least
 * once and retries for about 20 minutes; receipts are kept a day.
 */
@Singleton
public class WebhookReceipts {

    static final Duration RETENTION = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public WebhookReceipts(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key(String webhookId) {
        return Attr.key("WEBHOOK#" + webhookId, "RECEIPT");
    }

    public boolean seen(String webhookId, Instant now) {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName()).key(key(webhookId))
                .consistentRead(true).build()).item();
        return item != null && !item.isEmpty()
                && Attr.number(item, TableSchema.TTL_ATTRIBUTE, Long.MAX_VALUE) > now.getEpochSecond();
    }

    public void record(String webhookId, String eventType, Instant now) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>(key(webhookId));
        item.put("event_type", s(eventType));
        item.put("received_ms", n(now.toEpochMilli()));
        item.put(TableSchema.TTL_ATTRIBUTE, n(now.plus(RETENTION).getEpochSecond()));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item).build());
    }
}
