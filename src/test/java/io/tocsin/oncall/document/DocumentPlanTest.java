package io.tocsin.oncall.document;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentPlanTest {

    static final OnCallDocument EXAMPLE = DocumentReader.read(DocumentReaderTest.resource("example.json"));

    @Test
    void aFirstApplyCreatesEverythingReferencedItemsFirst() {
        assertEquals(List.of("create person ann", "create person bob", "create person cat",
                "create schedule primary", "create policy default", "create policy database", "update routing routing"),
                DocumentPlan.plan(OnCallDocument.EMPTY, EXAMPLE).stream().map(Change::toString).toList());
    }

    @Test
    void theSameDocumentTwiceChangesNothing() {
        assertEquals(List.of(), DocumentPlan.plan(EXAMPLE, EXAMPLE));
        OnCallDocument again = DocumentReader.read(DocumentWriter.write(EXAMPLE));
        assertEquals(List.of(), DocumentPlan.plan(EXAMPLE, again));
    }

    @Test
    void aVerifiedOrOptedOutContactIsNotAChange() {
        List<io.tocsin.oncall.Person> stored = new java.util.ArrayList<>(EXAMPLE.people());
        io.tocsin.oncall.Person ann = stored.get(0);
        stored.set(0, new io.tocsin.oncall.Person(ann.id(), ann.name(), ann.zone(), List.of(ann.methods().get(0)
                .withState(io.tocsin.oncall.ContactState.OPTED_OUT), ann.methods().get(1)
                .withState(io.tocsin.oncall.ContactState.VERIFIED)), ann.rules()));
        OnCallDocument current = new OnCallDocument(stored, EXAMPLE.schedules(), EXAMPLE.policies(), EXAMPLE.routing());
        assertEquals(List.of(), DocumentPlan.plan(current, EXAMPLE));
    }

    @Test
    void editsAreUpdatesAndRemovalsAreDeletesLast() {
        String edited = DocumentWriter.write(EXAMPLE)
                .replace("\"Bob Example\"", "\"Robert Example\"")
                .replace("\"repeats\" : 2", "\"repeats\" : 3");
        OnCallDocument next = DocumentReader.read(edited);
        assertEquals(List.of("update person bob", "update policy default"),
                DocumentPlan.plan(EXAMPLE, next).stream().map(Change::toString).toList());
        OnCallDocument fewer = new OnCallDocument(EXAMPLE.people(), List.of(), List.of(), io.tocsin.oncall.policy.Routing.NONE);
        assertEquals(List.of("update routing routing", "delete policy database", "delete policy default",
                "delete schedule primary"), DocumentPlan.plan(EXAMPLE, fewer).stream().map(Change::toString).toList());
    }
}
