package io.tocsin.oncall.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tocsin.oncall.ContactKind;
import io.tocsin.oncall.policy.TargetKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentReaderTest {

    static String resource(String name) {
        try (InputStream in = DocumentReaderTest.class.getResourceAsStream("/oncall/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theExampleReadsIntoTheModel() {
        OnCallDocument doc = DocumentReader.read(resource("example.json"));
        assertEquals(3, doc.people().size());
        assertEquals(ContactKind.SMS, doc.people().get(0).methods().get(1).kind());
        assertEquals(false, doc.people().get(0).methods().get(1).usable()); // a document never claims verification
        assertEquals(Duration.ofMinutes(5), doc.people().get(0).rules().get(1).after());
        assertEquals(2, doc.schedules().get(0).layers().size());
        assertEquals(7, doc.schedules().get(0).layers().get(0).turn().days());
        assertEquals(TargetKind.SCHEDULE_LAYER, doc.policies().get(0).steps().get(1).targets().get(0).kind());
        assertEquals("default", doc.routing().defaultPolicy());
    }

    @Test
    void exportReadsBackEqual() {
        OnCallDocument doc = DocumentReader.read(resource("example.json"));
        String exported = DocumentWriter.write(doc);
        assertEquals(doc, DocumentReader.read(exported));
        assertEquals(exported, DocumentWriter.write(DocumentReader.read(exported)));
    }

    @Test
    void fivePlantedErrorsAreAllNamedWithTheirPaths() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> DocumentReader.read(resource("five-errors.json")));
        List<String> paths = e.problems().stream().map(Problem::path).toList();
        assertEquals(List.of("$.people[1].zone", "$.schedules[0].layers[1].turn",
                "$.schedules[0].layers[0].members[1]", "$.schedules[0].overrides[1]", "$.policies[0]"), paths,
                e.getMessage());
        assertTrue(e.problems().get(0).message().contains("'Mars/Olympus_Mons' is not an IANA time zone"));
        assertTrue(e.problems().get(2).message().contains("unknown person 'dave'"));
        assertTrue(e.problems().get(3).message().contains("overlaps $.schedules[0].overrides[0]"));
        assertEquals("policies hand over in a loop: a -> b -> a", e.problems().get(4).message());
    }

    @Test
    void aRoutingRuleByTokenIsRefusedUntilIngestHandsTheTokenToRouting() {
        com.fasterxml.jackson.databind.JsonNode doc = assertDoesNotThrowJson(resource("example.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("routing").path("rules").get(0)).put("token", "team-a");
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> DocumentReader.read(doc.toString()));
        assertEquals(List.of("$.routing.rules[0].token"), e.problems().stream().map(Problem::path).toList());
    }

    private static com.fasterxml.jackson.databind.JsonNode assertDoesNotThrowJson(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void typesUnknownFieldsAndBadAddressesAreNamed() {
        String json = """
                {"version": 1, "peeple": [],
                 "people": [{"id": "x", "zone": "+05:00", "contacts": [{"id": "p", "kind": "voice", "address": "555"},
                             {"id": "q", "kind": "pigeon", "address": "roof"}],
                             "rules": [{"contact": "nope", "after": "5 minutes"}]}],
                 "schedules": [{"id": "s", "zone": "UTC", "layers": [{"id": "l", "start": "tomorrow", "turn": "P1M",
                                "members": [], "restrictions": [{"days": ["funday"], "start": "09:00",
                                "length": "PT0S"}]}]}],
                 "policies": [{"id": "p", "repeats": 99, "steps": [{"delay": "PT10S", "targets": [
                               {"kind": "schedule", "ref": "nowhere"}]}]}],
                 "routing": {"rules": [{"severity": ["urgent"], "policy": "ghost"}], "default": "p"}}
                """;
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> DocumentReader.read(json));
        List<String> paths = e.problems().stream().map(Problem::path).toList();
        for (String expected : List.of("$.peeple", "$.people[0].zone", "$.people[0].contacts[0].address", "$.people[0].contacts[1].kind",
                "$.people[0].rules[0].contact", "$.people[0].rules[0].after", "$.schedules[0].layers[0].start",
                "$.schedules[0].layers[0].turn", "$.schedules[0].layers[0].members",
                "$.schedules[0].layers[0].restrictions[0].days[0]", "$.schedules[0].layers[0].restrictions[0].length",
                "$.policies[0].repeats", "$.policies[0].steps[0].delay", "$.policies[0].steps[0].targets[0].ref",
                "$.routing.rules[0].severity[0]", "$.routing.rules[0].policy")) {
            assertTrue(paths.contains(expected), expected + " not named in:\n" + e.getMessage());
        }
        assertEquals(16, paths.size(), e.getMessage());
    }

    @Test
    void notJsonAndAMissingVersionAreNamed() {
        assertEquals("$", assertThrows(InvalidDocumentException.class, () -> DocumentReader.read("{"))
                .problems().get(0).path());
        assertEquals("$.version", assertThrows(InvalidDocumentException.class, () -> DocumentReader.read("{}"))
                .problems().get(0).path());
    }
}
