package io.tocsin.oncall.function;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.oncall.document.Change;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.DocumentWriter;
import io.tocsin.oncall.document.InvalidDocumentException;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.store.OnCallSnapshot;
import io.tocsin.oncall.store.OnCallStore;

/** {@code apply} (with its dry run) and {@code export} of the on-call document. */
@Singleton
public class OnCallApply {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OnCallStore store;
    @Inject
    OnCallSnapshot snapshot;

    Answer apply(JsonNode input) {
        JsonNode document = input.get("document");
        Boolean dryRun = flag(input.get("dry_run"));
        if (document == null || !document.isObject() || dryRun == null) {
            List<Problem> problems = new java.util.ArrayList<>();
            if (document == null || !document.isObject()) {
                problems.add(new Problem("document", "is required: the on-call document as a JSON object"));
            }
            if (dryRun == null) {
                problems.add(new Problem("dry_run", "must be true or false"));
            }
            return Answer.invalid(problems);
        }
        List<Change> changes;
        try {
            OnCallDocument next = DocumentReader.read(document);
            changes = store.apply(next, !dryRun);
            if (!dryRun && !changes.isEmpty()) {
                snapshot.invalidate(); // seen at once in this container; elsewhere within OnCallSnapshot.TTL
            }
        } catch (InvalidDocumentException e) {
            // each problem named by its JSON path inside the document
            return Answer.invalid(e.problems().stream()
                    .map(p -> new Problem("document" + p.path().substring(1), p.message())).toList());
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("dry_run", dryRun);
        body.put("changed", !changes.isEmpty() && !dryRun);
        ArrayNode list = body.putArray("changes");
        changes.forEach(c -> list.addObject().put("action", c.action().name().toLowerCase(java.util.Locale.ROOT))
                .put("kind", c.kind()).put("id", c.id()));
        body.put("summary", changes.isEmpty() ? "no change"
                : (dryRun ? "would make " : "made ") + changes.size() + " change(s)");
        return Answer.ok(body);
    }

    Answer export() {
        ObjectNode body = JSON.createObjectNode();
        try {
            body.set("document", DocumentWriter.tree(store.load()));
        } catch (OnCallStore.UnreadableException e) {
            return unreadable(e);
        }
        return Answer.ok(body);
    }

    /** 409: what is stored does not read; the message says that applying the document again repairs it. */
    static Answer unreadable(OnCallStore.UnreadableException e) {
        return Answer.error(409, "conflict", List.of(new Problem("document", e.getMessage())));
    }

    /** Absent: false; a boolean, or "true"/"false" as a query string gives it; anything else: null. */
    /** {@code dry_run} as given: absent or null is false, a boolean or "true"/"false" itself, else null (invalid). */
    static Boolean flag(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual() && (node.asText().equals("true") || node.asText().equals("false"))) {
            return Boolean.parseBoolean(node.asText());
        }
        return null;
    }
}
