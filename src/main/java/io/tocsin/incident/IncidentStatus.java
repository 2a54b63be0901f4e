package io.tocsin.incident;

import java.util.Locale;

/** The life of an incident: triggered → acknowledged → resolved; suppressed alerts are recorded but never open. */
public enum IncidentStatus {
    TRIGGERED, ACKNOWLEDGED, RESOLVED, SUPPRESSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IncidentStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
