package io.tocsin.oncall.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.oncall.Person;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.policy.EscalationPolicy;
import io.tocsin.oncall.policy.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses and validates an on-call document (JSON), naming every problem at once with its JSON path. */
public final class DocumentReader {

    static final Set<String> ROOT = Set.of("version", "people", "schedules", "policies", "routing");
    static final ObjectMapper JSON = new ObjectMapper();

    private DocumentReader() {
    }

    /** The document, or {@link InvalidDocumentException} listing every problem found. */
    public static OnCallDocument read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(List.of(new Problem("$", "not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        }
        return read(root);
    }

    public static OnCallDocument read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidDocumentException(List.of(new Problem("$", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        Fields fields = new Fields(root, "$", problems, ROOT);
        if (!fields.has("version")) {
            fields.problem("version", "is required (" + OnCallDocument.VERSION + ")");
        }
        fields.integer("version", OnCallDocument.VERSION, OnCallDocument.VERSION);
        List<Person> people = PeopleReader.read(fields, problems);
        List<Schedule> schedules = ScheduleReader.read(fields, problems);
        List<EscalationPolicy> policies = PolicyReader.policies(fields, problems);
        Routing routing = PolicyReader.routing(fields, problems);
        CrossCheck.check(root, problems);
        if (!problems.isEmpty()) {
            throw new InvalidDocumentException(problems);
        }
        return new OnCallDocument(people, schedules, policies, routing);
    }
}
