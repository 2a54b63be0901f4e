package io.tocsin.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** The one source of time. Tests replace it with a clock they move; nothing in Tocsin calls {@code Instant.now()}. */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    Ticker ticker() {
        return Ticker.SYSTEM;
    }

    @Produces
    @Singleton
    @DefaultBean
    Sleeper sleeper() {
        return Sleeper.REAL;
    }
}
