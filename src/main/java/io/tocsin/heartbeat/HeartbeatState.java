package io.tocsin.heartbeat;

import java.util.Locale;

/** Where a heartbeat stands. */
public enum HeartbeatState {
    /** Pings are on time; the heartbeat is indexed at its deadline for the sweep. */
    WAITING,
    /** Its deadline passed and a sweep has claimed it to raise the alert (a lease: another sweep may take over later). */
    RAISING,
    /** Its alert was raised (the incident is on the heartbeat); the next ping resolves it. */
    LATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HeartbeatState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
