package io.tocsin.incident;

import java.util.Locale;

/** Why an alert was recorded without paging. */
public enum SuppressionReason {
    DUPLICATE, MAINTENANCE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
