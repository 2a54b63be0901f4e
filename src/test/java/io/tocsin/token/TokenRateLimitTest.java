package io.tocsin.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.tocsin.support.MutableClock;

/**
 * The per-token bucket (docs/ingest.md, "Webhook tokens"): a burst of {@link TokenRateLimit#BURST}, then
 * {@link TokenRateLimit#RATE_PER_SECOND} a second; a token over it waits, another token is not affected.
 */
class TokenRateLimitTest {

    private final MutableClock clock = new MutableClock();
    private final TokenRateLimit limit = new TokenRateLimit(clock);

    private long allowed(String token, int calls) {
        return IntStream.range(0, calls).filter(i -> limit.take(token).isEmpty()).count();
    }

    @Test
    void aTokenOverItsRateWaitsAndOthersDoNot() {
        clock.set(Instant.parse("2027-01-01T00:00:00Z"));
        assertEquals(TokenRateLimit.BURST, allowed("flood", TokenRateLimit.BURST + 25));
        Optional<Duration> wait = limit.take("flood");
        assertTrue(wait.isPresent());
        assertEquals(Duration.ofMillis(100), wait.get(), "one call's worth at 10 a second");
        assertEquals(TokenRateLimit.BURST, allowed("quiet", TokenRateLimit.BURST), "another token has its own bucket");

        clock.advance(Duration.ofSeconds(1));
        assertEquals((long) TokenRateLimit.RATE_PER_SECOND, allowed("flood", 50), "refilled at the rate, no more");
        clock.advance(Duration.ofHours(1));
        assertEquals(TokenRateLimit.BURST, allowed("flood", 100), "never more than the burst saved up");
    }
}
