package io.tocsin.incident;

/** The result of asking for a state change of an incident. */
public sealed interface Transition {

    /** The change was made; {@code incident} is the state after it. */
    record Applied(Incident incident) implements Transition {
    }

    /** The incident already was in the asked-for state: nothing changed. */
    record AlreadyDone(Incident incident) implements Transition {
    }

    /** The change is not allowed from the incident's current state: nothing changed. */
    record Conflict(Incident incident) implements Transition {
    }

    record NotFound() implements Transition {
    }
}
