package io.tocsin.metrics;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The rollups' cursor: the one {@code ROLLUP}/{@code STATE} item and its conditional moves (start, mark a batch
 * pending, advance past it), so that overlapping folds take each batch once (see {@link Rollups}).
 */
@Singleton
public class RollupCursor {

    private static final Logger LOG = Logger.getLogger(RollupCursor.class);

    static final String STATE = "STATE";
    static final String FOLDED_TO = "folded_to";
    static final String PENDING_TO = "pending_to";
    static final String SINCE_MS = "since_ms";

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public RollupCursor(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** The stored state; null before the first fold. */
    Rollups.State state() {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(Rollups.PARTITION, STATE)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Rollups.State(Attr.instantMillis(item, SINCE_MS), Attr.string(item, FOLDED_TO),
                Attr.string(item, PENDING_TO));
    }

    /** The first fold: rollups start at the first whole hour {@link Rollups#LAG} from now. */
    Rollups.State start(Instant now) {
        Instant since = now.plus(Rollups.LAG).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        String foldedTo = Instants.format(since);
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName())
                    .item(Map.of(TableSchema.PK, s(Rollups.PARTITION), TableSchema.SK, s(STATE), SINCE_MS,
                            n(since.toEpochMilli()), FOLDED_TO, s(foldedTo)))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
            LOG.infof("Metrics rollups start with the incidents created from %s", since);
            return new Rollups.State(since, foldedTo, null);
        } catch (ConditionalCheckFailedException startedByAnother) {
            return state();
        }
    }

    /** Marks the batch from {@code from} to {@code to} pending, unless another fold moved the cursor. */
    boolean markPending(String from, String to) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(Rollups.PARTITION, STATE))
                    .updateExpression("SET #p = :to")
                    .conditionExpression("#f = :from AND attribute_not_exists(#p)")
                    .expressionAttributeNames(Map.of("#p", PENDING_TO, "#f", FOLDED_TO))
                    .expressionAttributeValues(Map.of(":to", s(to), ":from", s(from))).build());
            return true;
        } catch (ConditionalCheckFailedException movedByAnother) {
            return false;
        }
    }

    /** Moves the cursor to {@code to}, finishing the pending batch {@code pending} (or none). */
    boolean advance(String from, String pending, String to) {
        Map<String, String> names = new HashMap<>(Map.of("#f", FOLDED_TO, "#p", PENDING_TO));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to), ":from", s(from)));
        String condition = "#f = :from AND ";
        if (pending == null) {
            condition += "attribute_not_exists(#p)";
        } else {
            condition += "#p = :pending";
            values.put(":pending", s(pending));
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(Rollups.PARTITION, STATE))
                    .updateExpression("SET #f = :to REMOVE #p")
                    .conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException movedByAnother) {
            return false;
        }
    }
}
