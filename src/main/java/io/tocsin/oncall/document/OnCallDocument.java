package io.tocsin.oncall.document;

import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Routing;
import java.util.List;

/** The whole on-call setup as one document: people, schedules, escalation policies and routing. */
public record OnCallDocument(List<Person> people, List<Schedule> schedules, List<EscalationPolicy> policies,
        Routing routing) {

    /** The document format version written by {@link DocumentWriter}; the reader refuses others. */
    public static final int VERSION = 1;

    public static final OnCallDocument EMPTY = new OnCallDocument(List.of(), List.of(), List.of(), Routing.NONE);

    public OnCallDocument {
        people = List.copyOf(people);
        schedules = List.copyOf(schedules);
        policies = List.copyOf(policies);
    }
}
