package io.tocsin.oncall;

import java.util.Objects;

/**
 * One way to reach a person: an email address, an E.164 phone number (SMS or voice) or a Slack user id. A method that
 * pages a phone is unusable until verified (the channel sends the code; this is only the state and its rule).
 */
public record ContactMethod(String id, ContactKind kind, String address, boolean verified) {

    public ContactMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
    }

    /** May a notification go out through this method now: phone methods only once verified, others always. */
    public boolean usable() {
        return !kind.pagesPhone() || verified;
    }

    /** The same method marked verified (after the code came back right). */
    public ContactMethod verifiedNow() {
        return new ContactMethod(id, kind, address, true);
    }
}
