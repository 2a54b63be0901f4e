package io.tocsin.audit;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.api.Actor;
import io.tocsin.config.Settings;
import io.tocsin.emf.Emf;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit trail of admin changes (issue 23): webhook tokens, maintenance windows, the on-call document. One item per
 * change in its own partition ({@code pk=AUDIT}, {@code sk=<ISO instant>#<sequence>#<uuid>}, so one Query reads a time
 * range in order), kept {@link #RETENTION} through TTL.
 *
 * <p>Why an item and not a log line: a log line written after the change is lost if the invocation dies between the
 * two, and logs are readable by whoever may read the function's logs. So the record is written <em>before</em> the
 * change ({@link #requested}: who, what, the validated request; outcome {@code requested}), and completed after it
 * ({@link #completed}: outcome {@code applied} or {@code refused}, the state before and after). A change that was
 * written always has its record; a record left {@code requested} means the invocation died in between (compare it
 * with the current state); the record of a refused request (400, 404) is removed ({@link #discard}). Each applied change also emits the {@code AdminChanges} metric (by kind) and one log line.
 * Cost: two writes per admin change (a few a day).
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    public static final String PARTITION = "AUDIT";
    /** Kept over a year, so that a yearly access review sees every change of the year before. */
    public static final Duration RETENTION = Duration.ofDays(400);
    /**
     * The request, before and after are each stored as JSON text up to this many UTF-8 bytes (three of them stay well
     * under DynamoDB's 400 KB item); a larger one is replaced by its size and a note.
     */
    public static final int MAX_JSON_BYTES = 100_000;

    /** What kind of thing changed: the {@code Kind} dimension of the AdminChanges metric. */
    public enum Kind {
        TOKEN("token"), MAINTENANCE_WINDOW("maintenance_window"), ONCALL("oncall");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A record written before its change: where to complete it. */
    public record Entry(String sortKey, Kind kind, String action, String target) {
    }

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final DynamoDbClient dynamo;
    private final Settings settings;
    private final Clock clock;
    private final Emf emf;

    @Inject
    public AuditLog(DynamoDbClient dynamo, Settings settings, Clock clock, Emf emf) {
        this.dynamo = dynamo;
        this.settings = settings;
        this.clock = clock;
        this.emf = emf;
    }

    /**
     * Writes the record of a change about to be made: {@code actor} (authenticated), {@code typedName} (what the
     * caller typed as its name, may be null), {@code action} on {@code target} (an id, may be null before it exists),
     * and the validated {@code request}. Throws when it cannot be written: the change must then not be made.
     */
    public Entry requested(Kind kind, String action, String target, Actor actor, String typedName, JsonNode request) {
        Instant now = clock.instant();
        // the instance's own sequence orders its records within one clock tick; the uuid keeps instances apart
        String sortKey = now + "#" + String.format("%012d", SEQUENCE.incrementAndGet()) + "#" + UUID.randomUUID();
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, sortKey));
        item.put("at_ms", n(now.toEpochMilli()));
        item.put("kind", s(kind.wire()));
        item.put("action", s(action));
        if (target != null) {
            item.put("target", s(target));
        }
        item.put("actor", s(actor.id()));
        if (typedName != null) {
            item.put("typed_name", s(typedName));
        }
        putJson(item, "request", request);
        item.put("outcome", s("requested"));
        item.put(TableSchema.TTL_ATTRIBUTE, n(now.plus(RETENTION).getEpochSecond()));
        dynamo.putItem(b -> b.tableName(settings.tableName()).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", TableSchema.PK)));
        return new Entry(sortKey, kind, action, target);
    }

    /**
     * Completes a record after its change: {@code applied} (with the state {@code before} and {@code after}, either
     * null when there is none) or not ({@code not_applied}: a conflict, not found, nothing to change). Never throws: the
     * change is made, and the record already says it was requested.
     */
    public void completed(Entry entry, boolean applied, String target, JsonNode before, JsonNode after) {
        try {
            Map<String, AttributeValue> values = new HashMap<>();
            Map<String, String> names = new HashMap<>(Map.of("#o", "outcome", "#at", "completed_ms"));
            List<String> sets = new ArrayList<>(List.of("#o = :o", "#at = :at"));
            values.put(":o", s(applied ? "applied" : "not_applied"));
            values.put(":at", n(clock.instant().toEpochMilli()));
            if (target != null && entry.target() == null) {
                names.put("#t", "target");
                values.put(":t", s(target));
                sets.add("#t = :t");
            }
            Map<String, AttributeValue> json = new HashMap<>();
            putJson(json, "before", before);
            putJson(json, "after", after);
            json.forEach((name, value) -> {
                names.put("#" + name, name);
                values.put(":" + name, value);
                sets.add("#" + name + " = :" + name);
            });
            dynamo.updateItem(b -> b.tableName(settings.tableName()).key(Attr.key(PARTITION, entry.sortKey()))
                    .updateExpression("SET " + String.join(", ", sets))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (RuntimeException e) {
            LOG.warnf("Could not complete audit record %s (it stays 'requested'): %s", entry.sortKey(), e.toString());
        }
        if (applied) {
            emf.adminChange(entry.kind().wire());
        }
        LOG.infof("audit: %s %s %s %s (record %s)", entry.kind().wire(), entry.action(),
                target != null ? target : entry.target(), applied ? "applied" : "not applied", entry.sortKey());
    }

    /**
     * Removes the record of a request that was refused (400, 404: nothing changed, nothing to audit; a rejected input
     * stores nothing). Never throws: a record left {@code requested} says only that the request came.
     */
    public void discard(Entry entry) {
        try {
            dynamo.deleteItem(b -> b.tableName(settings.tableName()).key(Attr.key(PARTITION, entry.sortKey())));
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove audit record %s of a refused request: %s", entry.sortKey(), e.toString());
        }
    }

    private static void putJson(Map<String, AttributeValue> item, String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        String text = value.toString();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        item.put(name, s(bytes <= MAX_JSON_BYTES ? text
                : "{\"omitted\":\"" + bytes + " bytes, over the audit record's " + MAX_JSON_BYTES + "\"}"));
    }
}
