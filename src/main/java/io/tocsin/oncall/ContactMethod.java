package io.tocsin.oncall;

import java.util.Objects;

/**
 * One way to reach a person: an email address, an E.164 phone number (SMS or voice) or a Slack user id. A method that
 * pages a phone is unusable until verified; any method the person opted out of is unusable (the channel sends the
 * code and records opt-outs; this is only the state and its rule).
 */
public record ContactMethod(String id, ContactKind kind, String address, ContactState state) {

    public ContactMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }

    /** A new method as read from a document: unverified. */
    public static ContactMethod of(String id, ContactKind kind, String address) {
        return new ContactMethod(id, kind, address, ContactState.UNVERIFIED);
    }

    /** May a notification go out through this method now: never once opted out; a phone method only once verified. */
    public boolean usable() {
        return state != ContactState.OPTED_OUT && (!kind.pagesPhone() || state == ContactState.VERIFIED);
    }

    public ContactMethod withState(ContactState newState) {
        return new ContactMethod(id, kind, address, newState);
    }

    /** The same method as configuration, without its state: what a document compares and exports. */
    public ContactMethod configuration() {
        return withState(ContactState.UNVERIFIED);
    }
}
