package io.tocsin.store;

import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one definition of Tocsin's single DynamoDB table. The local bootstrap and the tests create the table from
 * {@link #createTableRequest(String)}; {@code template.yaml} declares the same table and a test
 * ({@code TemplateTableTest}) proves the two are equal.
 *
 * <p>Items (all keys are strings):
 * <ul>
 *   <li>incident: {@code pk=INC#<id>}, {@code sk=META}, with its timeline and outbox (lists in the item); once closed,
 *       expires through {@link #TTL_ATTRIBUTE} ({@code TOCSIN_RETENTION})</li>
 *   <li>sweep cursor: {@code pk=SWEEP}, {@code sk=CLAIMS} (how far the claims index has been checked)</li>
 *   <li>dedup claim: {@code pk=DEDUP#<dedup key>}, {@code sk=CLAIM}, expires through {@link #TTL_ATTRIBUTE}</li>
 *   <li>maintenance window: {@code pk=MAINT}, {@code sk=<end instant>#<id>} (active and upcoming = {@code sk >= now})</li>
 *   <li>metrics rollups: {@code pk=ROLLUP}, {@code sk=H#<UTC hour>} (the figures of the closed incidents created in
 *       that hour) and {@code sk=STATE} (how far the closures have been folded)</li>
 *   <li>heartbeat: {@code pk=HEARTBEAT}, {@code sk=<name>}; while waiting (or being raised) also in
 *       {@link #GSI_ESCALATION} under the partition {@code HEARTBEAT} at its deadline</li>
 * </ul>
 * Access patterns served by the sparse global secondary indexes (every one a Query, never a Scan):
 * <ul>
 *   <li>{@link #GSI_CREATED}: incidents created in a time range, one partition per UTC day</li>
 *   <li>{@link #GSI_OPEN}: open (triggered or acknowledged) incidents, oldest first</li>
 *   <li>{@link #GSI_ESCALATION}: unacknowledged, unresolved incidents whose next escalation is due before T
 *       (partition {@code ESC}), heartbeats whose deadline is before T (partition {@code HEARTBEAT}), and closed
 *       (resolved or suppressed) incidents by the time they closed (partitions {@code CLOSED#<UTC day>}: the
 *       metrics rollups fold them): the key
 *       pattern "partition, {@code <instant>#<id>}" serves any due-by-time question, so the heartbeats need no
 *       index of their own</li>
 *   <li>{@link #GSI_DELIVERY}: incidents with an outward effect pending (outbox) whose next look is due before T</li>
 *   <li>{@link #GSI_CLAIMS}: dedup claims by the end of their lease (the sweep finishes claims never recorded)</li>
 * </ul>
 */
public final class TableSchema {

    public static final String PK = "pk";
    public static final String SK = "sk";

    /** Epoch seconds after which DynamoDB may delete the item. Deletion is lazy (up to ~48 h late), so no decision relies on it. */
    public static final String TTL_ATTRIBUTE = "expires_at";

    /**
     * Whether an item's {@link #TTL_ATTRIBUTE} has passed at {@code now}: DynamoDB deletes such an item lazily (up to
     * days late; dynalite never), so a reader skips it as if it were gone. An item without the attribute never expires.
     */
    public static boolean expired(java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item,
            java.time.Instant now) {
        return Attr.number(item, TTL_ATTRIBUTE, Long.MAX_VALUE) <= now.getEpochSecond();
    }

    public static final String GSI_CREATED = "by-created";
    public static final String GSI_CREATED_PK = "gsi_created_pk";
    public static final String GSI_CREATED_SK = "gsi_created_sk";

    public static final String GSI_OPEN = "open";
    public static final String GSI_OPEN_PK = "gsi_open_pk";
    public static final String GSI_OPEN_SK = "gsi_open_sk";

    public static final String GSI_ESCALATION = "escalation-due";
    public static final String GSI_ESCALATION_PK = "gsi_esc_pk";
    public static final String GSI_ESCALATION_SK = "gsi_esc_sk";

    public static final String GSI_DELIVERY = "delivery-due";
    public static final String GSI_DELIVERY_PK = "gsi_dlv_pk";
    public static final String GSI_DELIVERY_SK = "gsi_dlv_sk";

    /**
     * Dedup claims by the end of their lease, keys only: a claim item is rewritten by every duplicate, and a keys-only
     * index is written only when its keys are (once per claim).
     */
    public static final String GSI_CLAIMS = "claims";
    public static final String GSI_CLAIMS_PK = "gsi_claim_pk";
    public static final String GSI_CLAIMS_SK = "gsi_claim_sk";

    /** The indexes in the order they are declared, each with its hash and range attribute. */
    public static final List<Index> INDEXES = List.of(
            Index.BY_CREATED, Index.OPEN, Index.ESCALATION_DUE, Index.DELIVERY_DUE, Index.CLAIMS);

    /** An index, its hash and range attribute; its entries are built by {@link IndexEntry}. */
    public record Index(String name, String hashKey, String rangeKey, ProjectionType projection) {
        public static final Index BY_CREATED = new Index(GSI_CREATED, GSI_CREATED_PK, GSI_CREATED_SK,
                ProjectionType.ALL);
        public static final Index OPEN = new Index(GSI_OPEN, GSI_OPEN_PK, GSI_OPEN_SK, ProjectionType.ALL);
        public static final Index ESCALATION_DUE = new Index(GSI_ESCALATION, GSI_ESCALATION_PK, GSI_ESCALATION_SK,
                ProjectionType.ALL);
        public static final Index DELIVERY_DUE = new Index(GSI_DELIVERY, GSI_DELIVERY_PK, GSI_DELIVERY_SK,
                ProjectionType.ALL);
        public static final Index CLAIMS = new Index(GSI_CLAIMS, GSI_CLAIMS_PK, GSI_CLAIMS_SK, ProjectionType.KEYS_ONLY);
    }

    private TableSchema() {
    }

    public static CreateTableRequest createTableRequest(String tableName) {
        var attributes = new java.util.ArrayList<AttributeDefinition>();
        attributes.add(stringAttribute(PK));
        attributes.add(stringAttribute(SK));
        var indexes = new java.util.ArrayList<GlobalSecondaryIndex>();
        for (Index index : INDEXES) {
            attributes.add(stringAttribute(index.hashKey()));
            attributes.add(stringAttribute(index.rangeKey()));
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(key(index.hashKey(), KeyType.HASH), key(index.rangeKey(), KeyType.RANGE))
                    .projection(Projection.builder().projectionType(index.projection()).build())
                    .build());
        }
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(indexes)
                .build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
