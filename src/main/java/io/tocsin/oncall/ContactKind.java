package io.tocsin.oncall;

import java.util.Optional;
import java.util.regex.Pattern;

/** How a contact method reaches a person. Phone-capable kinds page a phone and must be verified before use. */
public enum ContactKind {
    EMAIL(false), SMS(true), VOICE(true), SLACK(false);

    /** E.164: a plus, a country code not starting with 0, at most 15 digits in all (ITU-T E.164 §6.1). */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** Slack user ids: U or W followed by upper-case letters and digits (Slack API "users" object, id field). */
    static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,}");
    /** A pragmatic address check: something@domain.tld without spaces; delivery is what really verifies it. */
    static final Pattern EMAIL_ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final boolean pagesPhone;

    ContactKind(boolean pagesPhone) {
        this.pagesPhone = pagesPhone;
    }

    /** True for SMS and voice: such a method stays unusable until its number is verified by a code. */
    public boolean pagesPhone() {
        return pagesPhone;
    }

    /** Empty when {@code address} is a valid address of this kind, else what is wrong with it. */
    public Optional<String> addressProblem(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("is missing");
        }
        return switch (this) {
            case EMAIL -> EMAIL_ADDRESS.matcher(address).matches() ? Optional.empty()
                    : Optional.of("'" + address + "' is not an email address");
            case SMS, VOICE -> E164.matcher(address).matches() ? Optional.empty()
                    : Optional.of("'" + address + "' is not an E.164 phone number such as +14155550100");
            case SLACK -> SLACK_USER.matcher(address).matches() ? Optional.empty()
                    : Optional.of("'" + address + "' is not a Slack user id such as U024BE7LH");
        };
    }

    /** The lower-case name used in the document. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
