package io.tocsin.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.token.TokenRateLimit;

/**
 * The per-token rate limit of the tests' application: the clock stands still until a test moves it, so a real bucket
 * would never refill and the fuzz tests' hundreds of calls with one token would be refused 429 after the burst. The
 * limit itself is tested on its own instance ({@code TokenRateLimitTest}).
 */
@Alternative
@Priority(1)
@Singleton
public class StillClockTokenRate extends TokenRateLimit {

    @Inject
    public StillClockTokenRate(MutableClock clock) {
        super(clock, 1_000_000, 1_000_000);
    }
}
