package io.tocsin.oncall.document;

/** One item to write: {@code kind} is person, schedule, policy or routing; {@code id} its id ("routing" for routing). */
public record Change(ChangeAction action, String kind, String id) {

    @Override
    public String toString() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + kind + " " + id;
    }
}
