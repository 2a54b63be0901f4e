package io.tocsin.summary;

import static io.tocsin.store.Attr.n;
import static io.tocsin.store.Attr.s;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.config.Settings;
import io.tocsin.store.Attr;
import io.tocsin.store.TableSchema;
import io.tocsin.store.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * One item per summary day ({@code pk=SUMMARY, sk=<date>}) that makes the daily email go out once however often the
 * function is invoked: an invocation claims the day with a conditional write <em>before</em> sending (state
 * {@code sending}, with a lease), marks it {@code sent} afterwards, or releases it when the send failed. Only
 * UpdateItem and GetItem, all in the {@code SUMMARY} partition (template.yaml restricts the function to it).
 */
@Singleton
public class SummaryLedger {

    static final String PARTITION = "SUMMARY";
    /** Kept a little over a month, to see which summaries went out; expired through {@link TableSchema#TTL_ATTRIBUTE}. */
    static final Duration KEEP = Duration.ofDays(35);

    static final String STATE = "state";
    static final String TOKEN = "token";
    static final String LEASE_UNTIL_MS = "lease_until_ms";
    static final String ATTEMPTS = "attempts";
    static final String SENT_AT = "sent_at";
    static final String RECIPIENTS = "recipients";
    static final String SUBJECT = "subject";
    static final String FIGURES = "figures";
    static final String LAST_ERROR = "last_error";

    enum State {
        SENDING, SENT, RELEASED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What claiming a day gave. */
    public sealed interface Claim {
        /** This invocation holds the day until {@code leaseUntil} and must send, then call sent or release. */
        record Claimed(int attempt) implements Claim {
        }

        record AlreadySent(Instant sentAt) implements Claim {
        }

        /** Another invocation holds a live claim. */
        record HeldElsewhere(Instant leaseUntil) implements Claim {
        }
    }

    private final DynamoDbClient dynamo;
    private final Settings settings;

    @Inject
    public SummaryLedger(DynamoDbClient dynamo, Settings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    private static Map<String, AttributeValue> key(LocalDate date) {
        return Attr.key(PARTITION, date.toString());
    }

    /**
     * Claims the day for {@code token}: succeeds when nobody has claimed it, when the last attempt released it after
     * a failed send, or when the claim of an attempt that died has run out of lease. One conditional UpdateItem; a
     * consistent GetItem tells the loser why.
     */
    public Claim claim(LocalDate date, String token, Instant now, Instant leaseUntil) {
        Update update = new Update()
                .set(STATE, s(State.SENDING.wire()))
                .set(TOKEN, s(token))
                .set(LEASE_UNTIL_MS, n(leaseUntil.toEpochMilli()))
                .set("claimed_at", s(now.toString()))
                .set(TableSchema.TTL_ATTRIBUTE, n(date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                        .plus(KEEP).getEpochSecond()));
        update.increment(ATTEMPTS, 1);
        String state = update.name(STATE);
        update.condition("attribute_not_exists(" + update.name(TableSchema.PK) + ") OR " + state + " = "
                + update.value(s(State.RELEASED.wire())) + " OR (" + state + " = " + update.value(s(State.SENDING.wire()))
                + " AND " + update.name(LEASE_UNTIL_MS) + " < " + update.value(n(now.toEpochMilli())) + ")");
        var request = update.request(settings.tableName(), key(date), ReturnValue.ALL_NEW);
        try {
            var item = dynamo.updateItem(request).attributes();
            return new Claim.Claimed((int) Attr.number(item, ATTEMPTS, 0));
        } catch (ConditionalCheckFailedException taken) {
            var item = dynamo.getItem(GetItemRequest.builder().tableName(settings.tableName()).key(key(date))
                    .consistentRead(true).build()).item();
            if (item != null && State.SENT.wire().equals(Attr.string(item, STATE))) {
                return new Claim.AlreadySent(Instant.parse(Attr.string(item, SENT_AT)));
            }
            // sending with a live lease (or changed since the write: either way, not ours now)
            return new Claim.HeldElsewhere(item == null ? now : Attr.instantMillis(item, LEASE_UNTIL_MS));
        }
    }

    /**
     * Marks the day sent, with what was sent. Conditional on still holding the claim.
     *
     * @return false when the claim had been taken over (the lease ran out while sending)
     */
    public boolean sent(LocalDate date, String token, Instant at, List<String> recipients, String subject,
            String figures) {
        Update update = new Update()
                .set(STATE, s(State.SENT.wire()))
                .set(SENT_AT, s(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                .set(RECIPIENTS, AttributeValue.fromL(recipients.stream().map(Attr::s).toList()))
                .set(SUBJECT, s(subject))
                .set(FIGURES, s(figures))
                .remove(LEASE_UNTIL_MS);
        return holding(update, date, token);
    }

    /** Gives the day back after a failed send, so that the next invocation (the retry) sends at once. */
    public boolean release(LocalDate date, String token, String error) {
        Update update = new Update()
                .set(STATE, s(State.RELEASED.wire()))
                .set(LAST_ERROR, s(error == null ? "unknown error" : error))
                .remove(LEASE_UNTIL_MS);
        return holding(update, date, token);
    }

    private boolean holding(Update update, LocalDate date, String token) {
        update.condition(update.name(TOKEN) + " = " + update.value(s(token)) + " AND " + update.name(STATE) + " = "
                + update.value(s(State.SENDING.wire())));
        try {
            dynamo.updateItem(update.request(settings.tableName(), key(date), ReturnValue.NONE));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }
}
