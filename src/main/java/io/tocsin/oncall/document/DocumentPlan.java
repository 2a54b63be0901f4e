package io.tocsin.oncall.document;

import io.tocsin.oncall.Person;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The dry run of {@code apply}: the items to create, update or delete to go from {@code current} (what is stored) to
 * {@code next} (the document). Items are compared as values, so the same document planned against what it produced
 * gives no change; a contact's state (verified, opted out) is not configuration and is not compared. Order: creates and updates people, schedules, policies, routing (referenced items first), then
 * deletes in the opposite order, so that at no point does a stored item refer to a missing one.
 */
public final class DocumentPlan {

    private DocumentPlan() {
    }

    public static List<Change> plan(OnCallDocument current, OnCallDocument next) {
        List<Change> writes = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        // contact state (verified, opted out) belongs to the channels, not to the document: compare without it
        diff("person", current.people().stream().map(Person::configuration).toList(),
                next.people().stream().map(Person::configuration).toList(), p -> p.id(), writes, deletes);
        diff("schedule", current.schedules(), next.schedules(), s -> s.id(), writes, deletes);
        diff("policy", current.policies(), next.policies(), p -> p.id(), writes, deletes);
        if (!Objects.equals(current.routing(), next.routing())) {
            writes.add(new Change(ChangeAction.UPDATE, "routing", "routing"));
        }
        List<Change> changes = new ArrayList<>(writes);
        for (int i = deletes.size() - 1; i >= 0; i--) {
            changes.add(deletes.get(i));
        }
        return changes;
    }

    private static <T> void diff(String kind, List<T> current, List<T> next, Function<T, String> id,
            List<Change> writes, List<Change> deletes) {
        Map<String, T> stored = new LinkedHashMap<>();
        current.forEach(item -> stored.put(id.apply(item), item));
        Map<String, T> wanted = new LinkedHashMap<>();
        next.forEach(item -> wanted.put(id.apply(item), item));
        wanted.forEach((key, item) -> {
            if (!stored.containsKey(key)) {
                writes.add(new Change(ChangeAction.CREATE, kind, key));
            } else if (!stored.get(key).equals(item)) {
                writes.add(new Change(ChangeAction.UPDATE, kind, key));
            }
        });
        List<Change> gone = new ArrayList<>();
        stored.keySet().stream().filter(key -> !wanted.containsKey(key))
                .forEach(key -> gone.add(new Change(ChangeAction.DELETE, kind, key)));
        deletes.addAll(gone);
    }
}
