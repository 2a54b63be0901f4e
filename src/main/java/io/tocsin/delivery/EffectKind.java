package io.tocsin.delivery;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What kind of outward effect an outbox entry is: an open set, so that a new channel (SMS, voice, Slack, Teams) is a new
 * kind with its notifier, not an edit of a closed list. A kind is its stored name ({@link #wire()}, the {@code kind}
 * attribute of an outbox entry; the names below are a contract with items written by running stacks) and how an
 * effect of it reads for people. Kinds are canonical: {@link #of} returns the one instance per name, so {@code ==}
 * compares them. A stored name no running notifier knows still reads (an entry written by a newer version during a
 * deploy): its entry waits for a sender that knows it.
 */
public final class EffectKind {

    /** How an entry of a kind reads for people, from its action (PagerDuty events) and escalation level. */
    @FunctionalInterface
    public interface Label {
        String of(PagerDutyAction action, int level);
    }

    /** Stored names: lower case letters, digits and underscores. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Map<String, EffectKind> KINDS = new ConcurrentHashMap<>();

    /** A PagerDuty Events API v2 event (trigger, acknowledge, resolve) under the incident's dedup_key. */
    public static final EffectKind PAGERDUTY_EVENT = define("pagerduty_event", false,
            (action, level) -> "PagerDuty " + (action == null ? "event" : action.wire()));
    /** Raising the PagerDuty incident's escalation level through the REST API (PAGERDUTY_API_KEY set). */
    public static final EffectKind PAGERDUTY_ESCALATION = define("pagerduty_escalation", true,
            (action, level) -> "PagerDuty escalation to level " + level);
    /** An escalation email (no API key, or the REST escalation failed). */
    public static final EffectKind ESCALATION_EMAIL = define("escalation_email", true,
            (action, level) -> "escalation email (level " + level + ")");
    /** The email telling people that a page could not be delivered to PagerDuty. */
    public static final EffectKind PAGE_FAILED_EMAIL = define("page_failed_email", false,
            (action, level) -> "failed-page email");

    /**
     * An on-call person notified by email by a step of an escalation policy (docs/oncall.md "Runtime"); the address is
     * the entry's {@code to}, the step its level.
     */
    public static final EffectKind ONCALL_EMAIL = define("oncall_email", true,
            (action, level) -> "on-call email (policy step " + level + ")");

    private final String wire;
    private final boolean escalation;
    private final Label label;

    private EffectKind(String wire, boolean escalation, Label label) {
        this.wire = wire;
        this.escalation = escalation;
        this.label = label;
    }

    /**
     * Defines kind {@code wire} (once; a second definition of the same name must say the same).
     *
     * @param escalation whether it is an escalation step: pointless, so never sent, once the incident is acknowledged
     *                   or resolved
     * @param label      how an entry of it reads for people (timeline, logs)
     */
    public static EffectKind define(String wire, boolean escalation, Label label) {
        if (!NAME.matcher(wire).matches()) {
            throw new IllegalArgumentException("effect kind name must match " + NAME.pattern() + ": " + wire);
        }
        EffectKind kind = KINDS.computeIfAbsent(wire, w -> new EffectKind(w, escalation, label));
        if (kind.escalation != escalation) {
            throw new IllegalArgumentException("effect kind " + wire + " is already defined differently");
        }
        return kind;
    }

    /** The kind stored as {@code text} (any case); a name no one defined reads as a kind of its own name. */
    public static EffectKind fromWire(String text) {
        String wire = Objects.requireNonNull(text, "kind").toLowerCase(Locale.ROOT);
        EffectKind known = KINDS.get(wire);
        return known != null ? known : define(wire, false, (action, level) -> wire.replace('_', ' '));
    }

    /** The stored name. */
    public String wire() {
        return wire;
    }

    /** Whether it is an escalation step (superseded once the incident is acknowledged or resolved). */
    public boolean isEscalation() {
        return escalation;
    }

    /** How an entry of this kind reads for people. */
    public String describe(PagerDutyAction action, int level) {
        return label.of(action, level);
    }

    @Override
    public String toString() {
        return wire;
    }
}
