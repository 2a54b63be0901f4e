package io.tocsin.oncall;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone who can be on call: an id (the key everything else refers to), a display name, an IANA zone (for their
 * notices and calendar), contact methods and notification rules (e.g. email at once, SMS after 5 minutes).
 */
public record Person(String id, String name, ZoneId zone, List<ContactMethod> methods, List<NotificationRule> rules) {

    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        methods = List.copyOf(methods);
        rules = List.copyOf(rules);
    }

    /** The person as configuration: contact methods without their verification or opt-out state. */
    public Person configuration() {
        return new Person(id, name, zone, methods.stream().map(ContactMethod::configuration).toList(), rules);
    }

    public Optional<ContactMethod> method(String methodId) {
        return methods.stream().filter(m -> m.id().equals(methodId)).findFirst();
    }

    /**
     * The rules due once {@code sincePaged} has passed without acknowledgment, in rule order, whose method is usable
     * now. A rule naming an unverified phone method is skipped (the next rule still runs).
     */
    public List<NotificationRule> dueRules(Duration sincePaged) {
        return rules.stream()
                .filter(r -> r.after().compareTo(sincePaged) <= 0)
                .filter(r -> method(r.method()).map(ContactMethod::usable).orElse(false))
                .toList();
    }
}
