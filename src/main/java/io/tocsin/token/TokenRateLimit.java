package io.tocsin.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A token bucket per webhook token, in the memory of this function instance: a token that calls faster than
 * {@link #RATE_PER_SECOND} (after a burst of {@link #BURST}) is refused 429 by this instance, without a DynamoDB
 * write and without touching any other token's budget. Per instance on purpose: Lambda gives each instance one
 * request at a time, so the bucket needs no coordination, and the cost is nothing; a stack's limit for one token is
 * therefore this rate times the instances serving the route (at most its reserved concurrency). A shared counter item
 * per token and second would make the limit exact at the price of one conditional write per call, the write a flood
 * would multiply. API Gateway's route throttle (TokenRouteRateLimit) still bounds all callers together.
 */
@Singleton
public class TokenRateLimit {

    /**
     * Calls per second one token may make to one instance: Alertmanager and Grafana send a notification per alert
     * group per {@code group_interval} (5 minutes by default), so 10 a second is hundreds of times a busy sender's
     * rate; the same figure as the route's own API Gateway default (template.yaml {@code TokenRouteRateLimit}).
     */
    public static final double RATE_PER_SECOND = 10;
    /** Calls one token may make at once before the rate applies (template.yaml {@code TokenRouteBurstLimit}). */
    public static final int BURST = 50;
    /** Tokens tracked by one instance before idle buckets are forgotten (a full bucket is the same as none). */
    static final int MAX_TRACKED = 10_000;

    private record Bucket(double tokens, Instant at) {
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final double ratePerSecond;
    private final int burst;

    @Inject
    public TokenRateLimit(Clock clock) {
        this(clock, RATE_PER_SECOND, BURST);
    }

    /** With another rate and burst (the tests' application, whose clock stands still, uses a very large one). */
    protected TokenRateLimit(Clock clock, double ratePerSecond, int burst) {
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Empty when token {@code id} may make this call now (it is counted); otherwise how long until it may. */
    public java.util.Optional<Duration> take(String id) {
        Instant now = clock.instant();
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        Duration[] wait = { null };
        buckets.compute(id, (key, bucket) -> {
            double tokens = bucket == null ? burst : refill(bucket, now);
            if (tokens >= 1) {
                return new Bucket(tokens - 1, now);
            }
            wait[0] = Duration.ofMillis((long) Math.ceil((1 - tokens) * 1000 / ratePerSecond));
            return new Bucket(tokens, now);
        });
        return java.util.Optional.ofNullable(wait[0]);
    }

    private double refill(Bucket bucket, Instant now) {
        double seconds = Math.max(0, Duration.between(bucket.at(), now).toNanos() / 1e9);
        return Math.min(burst, bucket.tokens() + seconds * ratePerSecond);
    }
}
