package io.tocsin.token;

import static io.tocsin.store.Attr.b;
import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Webhook tokens in the table: {@code pk=TOKEN}, {@code sk=TOKEN#<id>}, one partition, so that the admin function's
 * list is one Query and its IAM policy can be limited to that partition ({@code dynamodb:LeadingKeys}). The item holds
 * the token's salt and the HMAC of its secret ({@link TokenSecrets}), never the secret. A revoked token loses both
 * (nothing left could ever match) and expires from the table {@link #KEEP_REVOKED} later.
 */
@Singleton
public class TokenStore {

    public static final String PARTITION = "TOKEN";
    static final String SK_PREFIX = "TOKEN#";
    static final Duration KEEP_REVOKED = Duration.ofDays(90);

    static final String ID = "id";
    static final String NAME = "name";
    static final String ROUTES = "routes";
    static final String SOURCE_PREFIX = "source_prefix";
    static final String CREATED_MS = "created_ms";
    static final String CREATED_BY = "created_by";
    static final String LAST_USED_MS = "last_used_ms";
    static final String REVOKED_MS = "revoked_ms";
    static final String REVOKED_BY = "revoked_by";
    static final String CREATED_ACTOR = "created_actor";
    static final String REVOKED_ACTOR = "revoked_actor";
    static final String SALT = "salt";
    static final String SECRET_HASH = "secret_hash";

    /** What the list reads: everything but the salt and the hash. */
    private static final String PUBLIC_ATTRIBUTES = String.join(", ", "#id", "#name", "#routes", "#prefix", "#created",
            "#createdBy", "#lastUsed", "#revoked", "#revokedBy", "#createdActor", "#revokedActor");
    private static final Map<String, String> PUBLIC_NAMES = Map.ofEntries(Map.entry("#id", ID),
            Map.entry("#name", NAME), Map.entry("#routes", ROUTES), Map.entry("#prefix", SOURCE_PREFIX),
            Map.entry("#created", CREATED_MS), Map.entry("#createdBy", CREATED_BY), Map.entry("#lastUsed", LAST_USED_MS),
            Map.entry("#revoked", REVOKED_MS), Map.entry("#revokedBy", REVOKED_BY),
            Map.entry("#createdActor", CREATED_ACTOR), Map.entry("#revokedActor", REVOKED_ACTOR));

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public TokenStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /** A stored token with what is needed to check a presented secret. */
    public record Stored(Token token, byte[] salt, byte[] secretHash) {
    }

    static Map<String, AttributeValue> key(String id) {
        return Attr.key(PARTITION, SK_PREFIX + id);
    }

    /** Stores a new token; never overwrites one (the id is random: a clash fails instead of replacing a token). */
    public void create(Token token, byte[] salt, byte[] secretHash) {
        Map<String, AttributeValue> item = new HashMap<>(key(token.id()));
        item.put(ID, s(token.id()));
        item.put(NAME, s(token.name()));
        item.put(ROUTES, AttributeValue.fromSs(token.routes().stream().map(TokenRoute::wire).sorted().toList()));
        if (token.sourcePrefix() != null) {
            item.put(SOURCE_PREFIX, s(token.sourcePrefix()));
        }
        item.put(CREATED_MS, n(token.createdAt().toEpochMilli()));
        if (token.createdBy() != null) {
            item.put(CREATED_BY, s(token.createdBy()));
        }
        if (token.createdActor() != null) {
            item.put(CREATED_ACTOR, s(token.createdActor()));
        }
        item.put(SALT, b(salt));
        item.put(SECRET_HASH, b(secretHash));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK)).build());
    }

    /**
     * The token with this id, read with strong consistency so that a revocation holds from the next call on: one
     * GetItem, half a read unit more than an eventually consistent one.
     */
    public Optional<Stored> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName())
                .key(key(id)).consistentRead(true).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Stored(fromItem(item), Attr.bytes(item, SALT), Attr.bytes(item, SECRET_HASH)));
    }

    /** Every token, active and revoked, oldest first: one Query of the token partition, without salts and hashes. */
    public List<Token> list() {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .projectionExpression(PUBLIC_ATTRIBUTES)
                .expressionAttributeNames(withKeys(PUBLIC_NAMES))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":prefix", s(SK_PREFIX)))
                .consistentRead(true)
                .build();
        return dynamo.queryPaginator(request).items().stream().map(TokenStore::fromItem)
                .sorted(Comparator.comparing(Token::createdAt).thenComparing(Token::id)).toList();
    }

    public sealed interface Revocation {
        record Revoked(Token token) implements Revocation {
        }

        record AlreadyRevoked(Token token) implements Revocation {
        }

        record NotFound() implements Revocation {
        }
    }

    /** Revokes the token: marks it revoked and removes its salt and hash, in one conditional write. */
    public Revocation revoke(String id, String by, Instant at) {
        return revoke(id, by, null, at);
    }

    /** As above, recording {@code actor} (who AWS authenticated, stored form) next to the typed {@code by}. */
    public Revocation revoke(String id, String by, String actor, Instant at) {
        StringBuilder update = new StringBuilder("SET #revoked = :at, #ttl = :ttl");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":at", n(at.toEpochMilli()));
        values.put(":ttl", n(at.plus(KEEP_REVOKED).getEpochSecond()));
        Map<String, String> names = new HashMap<>(Map.of("#pk", TableSchema.PK, "#revoked", REVOKED_MS,
                "#ttl", TableSchema.TTL_ATTRIBUTE, "#salt", SALT, "#hash", SECRET_HASH));
        if (by != null) {
            update.append(", #revokedBy = :by");
            names.put("#revokedBy", REVOKED_BY);
            values.put(":by", s(by));
        }
        if (actor != null) {
            update.append(", #revokedActor = :actor");
            names.put("#revokedActor", REVOKED_ACTOR);
            values.put(":actor", s(actor));
        }
        update.append(" REMOVE #salt, #hash");
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(settings.tableName()).key(key(id))
                    .updateExpression(update.toString())
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#revoked)")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            return new Revocation.Revoked(fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            return find(id).<Revocation>map(stored -> new Revocation.AlreadyRevoked(stored.token()))
                    .orElse(new Revocation.NotFound());
        }
    }

    /**
     * Records that the token was used at {@code now}, unless that was already recorded less than {@code granularity}
     * ago: the caller skips the write when the item it just read is recent enough, and the condition keeps
     * concurrent instances from writing more than once per period. Returns whether this call wrote.
     */
    public boolean touch(String id, Instant now, Duration granularity) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(settings.tableName()).key(key(id))
                    .updateExpression("SET #used = :now")
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#revoked)"
                            + " AND (attribute_not_exists(#used) OR #used <= :before)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#used", LAST_USED_MS,
                            "#revoked", REVOKED_MS))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                            ":before", n(now.minus(granularity).toEpochMilli())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, String> withKeys(Map<String, String> names) {
        Map<String, String> all = new HashMap<>(names);
        all.put("#pk", TableSchema.PK);
        all.put("#sk", TableSchema.SK);
        return all;
    }

    static Token fromItem(Map<String, AttributeValue> item) {
        Set<TokenRoute> routes = EnumSet.noneOf(TokenRoute.class);
        AttributeValue stored = item.get(ROUTES);
        if (stored != null && stored.hasSs()) {
            // a route name this version does not know (written by a newer one) grants nothing here
            stored.ss().forEach(name -> TokenRoute.parse(name).ifPresent(routes::add));
        }
        return new Token(Attr.string(item, ID), Attr.string(item, NAME), routes, Attr.string(item, SOURCE_PREFIX),
                Attr.instantMillis(item, CREATED_MS), Attr.string(item, CREATED_BY),
                Attr.instantMillis(item, LAST_USED_MS), Attr.instantMillis(item, REVOKED_MS),
                Attr.string(item, REVOKED_BY), Attr.string(item, CREATED_ACTOR), Attr.string(item, REVOKED_ACTOR));
    }
}
