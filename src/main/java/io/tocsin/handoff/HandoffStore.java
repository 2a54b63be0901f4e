package io.tocsin.handoff;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.notify.HandoffEmail;
import io.tocsin.notify.HandoffEmailNotifier;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The handoff notices' outbox: one item per schedule, boundary and role under {@code pk=HANDOFF},
 * {@code sk=<boundary, UTC to the millisecond>#<schedule>#<incoming|outgoing>}, holding the email to send, its state
 * ({@code pending}, {@code sent}, {@code failed}), the sender's lease and the TTL attribute {@code expires_at}
 * ({@link #KEEP} after the boundary). Access pattern: the notices of a time window are one strongly consistent Query
 * of a sort-key range, so the partition's size never matters; each write is a conditional single-item write.
 */
@Singleton
public class HandoffStore {

    public static final String PARTITION = "HANDOFF";
    /** How long an item is kept after its boundary: a day or two for "was I told?", then DynamoDB's TTL removes it. */
    static final Duration KEEP = Duration.ofDays(2);
    static final int FORMAT_VERSION = 1;
    static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final String PENDING = "pending";
    static final String SENT = "sent";
    static final String FAILED = "failed";

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public HandoffStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** A stored notice: its key, state, lease and the email it sends. */
    public record Stored(String sk, String state, Instant leaseUntil, long attempts, HandoffEmail email) {
    }

    static String sk(Handoff handoff) {
        return SORTABLE.format(handoff.boundary()) + "#" + handoff.schedule() + "#" + handoff.role();
    }

    /** The notices of boundaries in [from, to]: one Query of a sort-key range. */
    public List<Stored> between(Instant from, Instant to) {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":lo", s(SORTABLE.format(from)),
                        ":hi", s(SORTABLE.format(to) + "~")))
                .consistentRead(true).build();
        return dynamo.queryPaginator(request).items().stream().map(HandoffStore::stored).toList();
    }

    /**
     * Writes the notice pending, held by the writer until {@code leaseUntil}, unless it exists (another sweep wrote
     * it first, or it was sent): false then, and the caller leaves it to its writer or to a later sweep.
     */
    public boolean writePending(Handoff handoff, HandoffEmail email, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, sk(handoff)));
        item.put("format", n(FORMAT_VERSION));
        item.put("kind", s(HandoffEmailNotifier.KIND.wire()));
        item.put("schedule", s(handoff.schedule()));
        item.put("person", s(handoff.person()));
        item.put("role", s(handoff.role()));
        item.put("state", s(PENDING));
        item.put("lease_until", n(leaseUntil.toEpochMilli()));
        item.put("attempts", n(1));
        item.put("written_at", s(now.toString()));
        item.put("recipients", AttributeValue.fromL(email.recipients().stream().map(Attr::s).toList()));
        item.put("person_name", s(email.personName()));
        item.put("schedule_name", s(email.scheduleName()));
        if (email.other() != null) {
            item.put("other", s(email.other()));
        }
        item.put("boundary", s(email.boundary().toString()));
        if (email.until() != null) {
            item.put("until", s(email.until().toString()));
        }
        item.put("zone", s(email.zone().getId()));
        item.put("message_id", s(email.messageId()));
        item.put(TableSchema.TTL_ATTRIBUTE, n(handoff.boundary().plus(KEEP).getEpochSecond()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Takes a pending notice whose holder's lease ran out (a dead or stalled sweep); false if someone else has it. */
    public boolean claim(String sk, Instant now, Instant leaseUntil) {
        return update(sk, "SET #lease = :lease ADD #attempts :one",
                "#state = :pending AND #lease <= :now", Map.of(":lease", n(leaseUntil.toEpochMilli()),
                        ":one", n(1), ":pending", s(PENDING), ":now", n(now.toEpochMilli())));
    }

    /** Records the outcome of the holder's attempt: {@code sent}, {@code failed}, or pending again at once. */
    public void record(String sk, String state, String detail, Instant now) {
        update(sk, "SET #state = :state, #detail = :detail, #lease = :free",
                "#state = :pending", Map.of(":state", s(state), ":detail", s(detail), ":pending", s(PENDING),
                        ":free", n(now.toEpochMilli())));
    }

    private boolean update(String sk, String expression, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName())
                    .key(Attr.key(PARTITION, sk)).updateExpression(expression).conditionExpression(condition)
                    .expressionAttributeNames(names(expression + " " + condition))
                    .expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, String> names(String expressions) {
        Map<String, String> all = Map.of("#state", "state", "#lease", "lease_until", "#attempts", "attempts",
                "#detail", "detail");
        Map<String, String> used = new HashMap<>();
        all.forEach((k, v) -> {
            if (expressions.contains(k)) {
                used.put(k, v);
            }
        });
        return used;
    }

    private static Stored stored(Map<String, AttributeValue> item) {
        AttributeValue recipients = item.get("recipients");
        String until = Attr.string(item, "until");
        HandoffEmail email = new HandoffEmail(
                recipients == null ? List.of() : recipients.l().stream().map(AttributeValue::s).toList(),
                Attr.string(item, "person_name"), Attr.string(item, "schedule_name"),
                "incoming".equals(Attr.string(item, "role")), Attr.string(item, "other"),
                Instant.parse(Attr.string(item, "boundary")), until == null ? null : Instant.parse(until),
                ZoneId.of(Attr.string(item, "zone")), Attr.string(item, "message_id"));
        return new Stored(Attr.string(item, TableSchema.SK), Attr.string(item, "state"),
                Instant.ofEpochMilli(Attr.number(item, "lease_until", 0)), Attr.number(item, "attempts", 0), email);
    }
}
