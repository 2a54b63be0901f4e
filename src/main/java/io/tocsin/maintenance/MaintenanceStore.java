package io.tocsin.maintenance;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.Severity;
import io.tocsin.config.Settings;
import io.tocsin.notify.Texts;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import io.tocsin.time.Instants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Maintenance windows created at run time ({@code pk=MAINT, sk=<end>#<id>}): the active and upcoming ones are one
 * Query ({@code sk >= now}); ended windows are kept for history and expire through TTL after {@link #KEEP_ENDED}.
 * A recurring window is one item with its rule ({@code rrule}, {@code time_zone}, {@code local_start},
 * {@code length_s}); its {@code end} is the series' end, or {@link #FOREVER} for a rule without UNTIL or COUNT (never
 * expires; delete it to end it). Items without {@code rrule} are one-off windows, as every window was before.
 */
@Singleton
public class MaintenanceStore {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MaintenanceStore.class);

    static final String PARTITION = "MAINT";
    static final Duration KEEP_ENDED = Duration.ofDays(90);
    /** The sort key's end of a recurring window without an end: after every instant Tocsin will see. */
    static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59.999Z");

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public MaintenanceStore(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    public void create(MaintenanceWindow window, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(PARTITION, sortKey(window)));
        item.put("id", s(window.id()));
        item.put("start_ms", n(window.start().toEpochMilli()));
        if (window.end() != null) {
            item.put("end_ms", n(window.end().toEpochMilli()));
            item.put(TableSchema.TTL_ATTRIBUTE, n(window.end().plus(KEEP_ENDED).getEpochSecond()));
        }
        Recurrence recurrence = window.recurrence();
        if (recurrence != null) {
            item.put("rrule", s(recurrence.rrule()));
            item.put("time_zone", s(recurrence.zone().getId()));
            item.put("local_start", s(recurrence.firstStart().toString()));
            item.put("length_s", n(recurrence.length().getSeconds()));
        }
        item.put("reason", s(window.reason()));
        if (window.createdBy() != null) {
            item.put("created_by", s(window.createdBy()));
        }
        if (window.createdActor() != null) {
            item.put("created_actor", s(window.createdActor()));
        }
        if (!window.sources().isEmpty()) {
            item.put("sources", AttributeValue.fromSs(List.copyOf(window.sources())));
        }
        if (!window.severities().isEmpty()) {
            item.put("severities", AttributeValue.fromSs(window.severities().stream().map(Severity::wire).toList()));
        }
        item.put("created_ms", n(at.toEpochMilli()));
        dynamo.putItem(PutItemRequest.builder().tableName(settings.tableName()).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .build());
    }

    /** Windows that have not ended at {@code now}: active and upcoming, soonest ending first. */
    public List<MaintenanceWindow> current(Instant now) {
        var request = QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk AND #sk > :now")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK))
                .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":now", s(Instants.format(now))))
                .consistentRead(true)
                .build();
        List<MaintenanceWindow> windows = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(request).items()) {
            try {
                windows.add(fromItem(item));
            } catch (RuntimeException unreadable) {
                // one broken item (a rule a newer lib-recur no longer reads) must not stop every other window, nor ingest
                LOG.errorf(unreadable, "Maintenance window %s cannot be read and is ignored",
                        Texts.log(Attr.string(item, "id")));
            }
        }
        return windows;
    }

    /** Deletes a window that has not ended; empty when there is none with that id. */
    public Optional<MaintenanceWindow> delete(String id, Instant now) {
        for (MaintenanceWindow window : current(now)) {
            if (window.id().equals(id)) {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                        .key(Attr.key(PARTITION, sortKey(window))).build());
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }

    private static String sortKey(MaintenanceWindow window) {
        return Instants.format(window.end() == null ? FOREVER : window.end()) + "#" + window.id();
    }

    static MaintenanceWindow fromItem(Map<String, AttributeValue> item) {
        Set<String> sources = item.containsKey("sources") ? new LinkedHashSet<>(item.get("sources").ss()) : Set.of();
        Set<Severity> severities = new LinkedHashSet<>();
        if (item.containsKey("severities")) {
            item.get("severities").ss().forEach(v -> severities.add(Severity.valueOf(v.toUpperCase(Locale.ROOT))));
        }
        Recurrence recurrence = null;
        if (item.containsKey("rrule")) {
            recurrence = Recurrence.parse(Attr.string(item, "rrule"), ZoneId.of(Attr.string(item, "time_zone")),
                    LocalDateTime.parse(Attr.string(item, "local_start")),
                    Duration.ofSeconds(Attr.number(item, "length_s", 0)));
        }
        return new MaintenanceWindow(Attr.string(item, "id"), Attr.instantMillis(item, "start_ms"),
                Attr.instantMillis(item, "end_ms"), Attr.string(item, "reason"), Attr.string(item, "created_by"),
                sources, severities, recurrence, Attr.string(item, "created_actor"));
    }
}
