package io.tocsin.oncall;

/**
 * Where a contact method stands. Only the channels change it (issue 22): verification by a code sent to the number,
 * opt-out by a STOP reply. A document never sets it: a method read from a document is {@link #UNVERIFIED}, and apply
 * keeps the stored state of an unchanged address.
 */
public enum ContactState {
    /** Not (yet) verified: usable only for kinds that do not page a phone. */
    UNVERIFIED,
    /** The code came back right: usable. */
    VERIFIED,
    /** The person opted out (e.g. replied STOP): never used; the next rule's method is used instead. */
    OPTED_OUT
}
