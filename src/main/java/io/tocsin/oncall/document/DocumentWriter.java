package io.tocsin.oncall.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.oncall.ContactMethod;
import io.tocsin.oncall.Layer;
import io.tocsin.oncall.NotificationRule;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Restriction;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleOverride;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Routing;
import io.tocsin.oncall.policy.RoutingRule;
import io.tocsin.oncall.policy.Step;
import io.tocsin.oncall.policy.Target;
import java.util.Locale;
import java.util.TreeMap;

/** {@code export}: the document back as JSON that {@link DocumentReader} reads to an equal document. */
public final class DocumentWriter {

    private DocumentWriter() {
    }

    public static String write(OnCallDocument document) {
        try {
            return DocumentReader.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(tree(document)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    public static ObjectNode tree(OnCallDocument document) {
        ObjectNode root = DocumentReader.JSON.createObjectNode();
        root.put("version", OnCallDocument.VERSION);
        ArrayNode people = root.putArray("people");
        document.people().forEach(p -> person(people.addObject(), p));
        ArrayNode schedules = root.putArray("schedules");
        document.schedules().forEach(s -> schedule(schedules.addObject(), s));
        ArrayNode policies = root.putArray("policies");
        document.policies().forEach(p -> policy(policies.addObject(), p));
        routing(root.putObject("routing"), document.routing());
        return root;
    }

    static void person(ObjectNode node, Person person) {
        node.put("id", person.id()).put("name", person.name()).put("zone", person.zone().getId());
        ArrayNode contacts = node.putArray("contacts");
        for (ContactMethod m : person.methods()) {
            contacts.addObject().put("id", m.id()).put("kind", m.kind().wire()).put("address", m.address());
        }
        ArrayNode rules = node.putArray("rules");
        for (NotificationRule r : person.rules()) {
            rules.addObject().put("contact", r.method()).put("after", r.after().toString());
        }
    }

    static void schedule(ObjectNode node, Schedule schedule) {
        node.put("id", schedule.id()).put("name", schedule.name()).put("zone", schedule.zone().getId());
        ArrayNode layers = node.putArray("layers");
        for (Layer layer : schedule.layers()) {
            ObjectNode l = layers.addObject().put("id", layer.id());
            if (layer.zone() != null) {
                l.put("zone", layer.zone().getId());
            }
            l.put("start", layer.start().toString()).put("turn", layer.turn().text());
            layer.members().forEach(l.putArray("members")::add);
            ArrayNode restrictions = l.putArray("restrictions");
            for (Restriction r : layer.restrictions()) {
                ObjectNode rn = restrictions.addObject();
                ArrayNode days = rn.putArray("days");
                r.days().stream().sorted().forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
                rn.put("start", r.start().toString()).put("length", r.length().toString());
            }
            if (layer.from() != null) {
                l.put("from", layer.from().toString());
            }
            if (layer.until() != null) {
                l.put("until", layer.until().toString());
            }
        }
        ArrayNode overrides = node.putArray("overrides");
        for (ScheduleOverride o : schedule.overrides()) {
            overrides.addObject().put("person", o.person()).put("start", o.start().toString())
                    .put("end", o.end().toString());
        }
    }

    static void policy(ObjectNode node, EscalationPolicy policy) {
        node.put("id", policy.id()).put("name", policy.name()).put("repeats", policy.repeats());
        ArrayNode steps = node.putArray("steps");
        for (Step step : policy.steps()) {
            ObjectNode s = steps.addObject().put("delay", step.delay().toString());
            ArrayNode targets = s.putArray("targets");
            for (Target t : step.targets()) {
                ObjectNode tn = targets.addObject().put("kind", t.kind().wire()).put("ref", t.ref());
                if (t.layer() != null) {
                    tn.put("layer", t.layer());
                }
            }
        }
    }

    static void routing(ObjectNode node, Routing routing) {
        ArrayNode rules = node.putArray("rules");
        for (RoutingRule r : routing.rules()) {
            ObjectNode rn = rules.addObject();
            if (r.sourcePrefix() != null) {
                rn.put("source", r.sourcePrefix());
            }
            if (!r.severities().isEmpty()) {
                ArrayNode severity = rn.putArray("severity");
                r.severities().stream().sorted().forEach(s -> severity.add(s.wire()));
            }
            if (!r.labels().isEmpty()) {
                ObjectNode labels = rn.putObject("labels");
                new TreeMap<>(r.labels()).forEach(labels::put);
            }
            if (r.token() != null) {
                rn.put("token", r.token());
            }
            rn.put("policy", r.policy());
        }
        if (routing.defaultPolicy() != null) {
            node.put("default", routing.defaultPolicy());
        }
    }
}
