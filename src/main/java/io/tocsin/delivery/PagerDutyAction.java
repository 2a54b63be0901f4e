package io.tocsin.delivery;

import java.util.Locale;

/** The Events API v2 {@code event_action}s Tocsin sends, in the order PagerDuty must receive them for one incident. */
public enum PagerDutyAction {
    TRIGGER, ACKNOWLEDGE, RESOLVE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
