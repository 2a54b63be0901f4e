package io.tocsin.oncall.feed;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.SecretHash;
import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The iCal feed URLs: one item per feed under {@code pk=ONCALL_FEED, sk=<id>} holding its scope, when it was created,
 * the salt and the salted hash of its secret ({@link FeedSecrets}), never the secret. Access patterns: serving a feed
 * is one strongly consistent GetItem by id (so a revoked feed stops at once); the list is one Query of the partition;
 * create is a PutItem that never overwrites; revoke deletes the item.
 */
@Singleton
public class FeedStore {

    /** The feeds' partition, apart from the on-call document's (ONCALL) so that its reads and applies never see them. */
    public static final String PARTITION = "ONCALL_FEED";
    static final String FORMAT = "format";
    static final int FORMAT_VERSION = 1;
    static final String KIND = "kind";
    static final String REF = "ref";
    static final String CREATED_AT = "created_at";
    static final String SALT = "salt";
    static final String SECRET_HASH = "secret_hash";
    /** Hashed instead when the id is unknown, so that an unknown and a known id cost the same HMAC. */
    private static final byte[] DUMMY_SALT = SecretHash.salt();

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public FeedStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** A feed as listed: no secret, no hash. */
    public record Feed(String id, FeedScope scope, Instant createdAt) {
    }

    /** Stores a new feed of {@code scope}; returns the URL segment, which is shown this once. */
    public FeedSecrets.Issued create(FeedScope scope, Instant now) {
        FeedSecrets.Issued issued = FeedSecrets.issue();
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, issued.id()));
        item.put(FORMAT, n(FORMAT_VERSION));
        item.put(KIND, s(scope.kind().wire()));
        item.put(REF, s(scope.ref()));
        item.put(CREATED_AT, s(now.toString()));
        item.put(SALT, b(issued.salt()));
        item.put(SECRET_HASH, b(issued.hash()));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
        return issued;
    }

    /** Every feed, oldest first: one Query of the partition, without salts and hashes. */
    public List<Feed> list() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk")
                .projectionExpression("#sk, #kind, #ref, #created")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK, "#kind", KIND,
                        "#ref", REF, "#created", CREATED_AT))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION))).consistentRead(true).build();
        return dynamo.queryPaginator(request).items().stream().map(FeedStore::feed).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Feed::createdAt).thenComparing(Feed::id)).toList();
    }

    /** Deletes feed {@code id}; false when there was none. */
    public boolean revoke(String id) {
        var old = dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(PARTITION, id)).returnValues(ReturnValue.ALL_OLD).build());
        return old.hasAttributes() && !old.attributes().isEmpty();
    }

    /**
     * The feed the presented segment opens, or empty when its id is unknown, revoked, or its secret does not match. An
     * unknown id is hashed against a dummy salt, so both answers cost one GetItem and one HMAC.
     */
    public Optional<Feed> open(FeedSecrets.Presented presented) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(Attr.key(PARTITION, presented.id())).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            SecretHash.matches(presented.secret().value(), DUMMY_SALT, new byte[32]);
            return Optional.empty();
        }
        if (!SecretHash.matches(presented.secret().value(), Attr.bytes(item, SALT), Attr.bytes(item, SECRET_HASH))) {
            return Optional.empty();
        }
        return feed(item);
    }

    private static Optional<Feed> feed(Map<String, AttributeValue> item) {
        FeedScope.Kind kind = FeedScope.Kind.of(Attr.string(item, KIND));
        String ref = Attr.string(item, REF);
        String created = Attr.string(item, CREATED_AT);
        if (kind == null || ref == null || created == null) {
            return Optional.empty(); // not a feed this version reads: never served
        }
        return Optional.of(new Feed(Attr.string(item, TableSchema.SK), new FeedScope(kind, ref),
                Instant.parse(created)));
    }
}
