package io.tocsin.oncall.document;

import io.tocsin.oncall.ContactKind;
import io.tocsin.oncall.ContactMethod;
import io.tocsin.oncall.NotificationRule;
import io.tocsin.oncall.Person;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code $.people}: each person with contact methods and notification rules. */
final class PeopleReader {

    static final Set<String> PERSON = Set.of("id", "name", "zone", "contacts", "rules");
    static final Set<String> CONTACT = Set.of("id", "kind", "address");
    static final Set<String> RULE = Set.of("contact", "after");

    private PeopleReader() {
    }

    static List<Person> read(Fields root, List<Problem> problems) {
        List<Person> people = new ArrayList<>();
        for (Fields.Element element : root.array("people", false)) {
            Person person = person(element.fields(problems, PERSON), problems);
            if (person != null) {
                people.add(person);
            }
        }
        return people;
    }

    private static Person person(Fields f, List<Problem> problems) {
        int before = problems.size();
        String id = f.text("id", true);
        String name = f.text("name", false);
        ZoneId zone = f.zone("zone", true);
        List<ContactMethod> methods = new ArrayList<>();
        Set<String> methodIds = new HashSet<>();
        for (Fields.Element element : f.array("contacts", false)) {
            ContactMethod method = contact(element.fields(problems, CONTACT));
            if (method != null && !methodIds.add(method.id())) {
                problems.add(new Problem(element.path() + ".id", "contact id '" + method.id() + "' is used twice"));
            } else if (method != null) {
                methods.add(method);
            }
        }
        List<NotificationRule> rules = new ArrayList<>();
        for (Fields.Element element : f.array("rules", false)) {
            Fields r = element.fields(problems, RULE);
            String contact = r.text("contact", true);
            Duration after = r.duration("after", true);
            if (contact != null && !methodIds.contains(contact)) {
                r.problem("contact", "no contact method '" + contact + "' on this person");
            } else if (contact != null && after != null) {
                rules.add(new NotificationRule(contact, after));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Person(id, name == null ? id : name, zone, methods, rules);
    }

    private static ContactMethod contact(Fields f) {
        String id = f.text("id", true);
        ContactKind kind = f.parsed("kind", true, "one of email, sms, voice, slack",
                t -> ContactKind.valueOf(t.toUpperCase(Locale.ROOT)));
        String address = f.text("address", true);
        if (kind != null && address != null) {
            String problem = kind.addressProblem(address).orElse(null);
            if (problem != null) {
                f.problem("address", problem);
                return null;
            }
        }
        // verification is state the channel records, never configuration: a document's methods start unverified
        return id == null || kind == null || address == null ? null : ContactMethod.of(id, kind, address);
    }
}
