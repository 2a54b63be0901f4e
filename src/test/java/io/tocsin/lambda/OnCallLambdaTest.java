package io.tocsin.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tocsin.config.Settings;
import io.tocsin.oncall.Schedule;
import io.tocsin.oncall.ScheduleResolver;
import io.tocsin.oncall.Shift;
import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.document.OnCallDocument;
import io.tocsin.oncall.function.OnCallFunction;
import io.tocsin.oncall.store.OnCallItems;
import io.tocsin.store.DynamoRequestMeter;
import io.tocsin.store.TableSchema;
import io.tocsin.support.HttpEvents;
import io.tocsin.support.MutableClock;
import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The {@code oncall} function: apply (dry run, idempotent, with its DynamoDB requests counted), export, the reads,
 * and bad input; through the mock Lambda event server (direct and API Gateway) and, to count requests on the calling
 * thread, through the function bean.
 */
@QuarkusTest
@TestProfile(Exports.OnCall.class)
class OnCallLambdaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OnCallFunction function;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Settings settings;
    @Inject
    MutableClock clock;

    static JsonNode example() throws IOException {
        return JSON.readTree(Files.readString(Projects.root().resolve("src/test/resources/oncall/example.json")));
    }

    private static ObjectNode apply(JsonNode document, boolean dryRun) {
        ObjectNode input = JSON.createObjectNode().put("action", "apply").put("dry_run", dryRun);
        input.set("document", document);
        return input;
    }

    private List<Map<String, AttributeValue>> onCallItems() {
        return dynamo.query(QueryRequest.builder().tableName(settings.tableName())
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", TableSchema.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(OnCallItems.PARTITION)))
                .consistentRead(true).build()).items();
    }

    @BeforeEach
    void emptyPartition() {
        for (Map<String, AttributeValue> item : onCallItems()) {
            dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                    .key(Map.of(TableSchema.PK, item.get(TableSchema.PK), TableSchema.SK, item.get(TableSchema.SK)))
                    .build());
        }
        clock.set(Instant.parse("2026-03-02T15:00:00Z"));
    }

    @Test
    void applyingTheSameDocumentTwiceWritesNothingTheSecondTime() throws IOException {
        JsonNode document = example();
        var dry = DynamoRequestMeter.measure(() -> function.oncall(apply(document, true)));
        assertEquals(Map.of("Query", 1), dry.requests(), "a dry run only reads");
        assertEquals(7, dry.result().path("changes").size(), dry.result().toString());
        assertEquals("create person ann", text(dry.result().path("changes").get(0)));
        assertFalse(dry.result().path("changed").asBoolean());
        assertEquals(List.of(), onCallItems(), "a dry run writes nothing");

        // 3 people, 1 schedule, 2 policies, routing: one PutItem each, after one Query; before it the dry run that
        // decides whether to audit (one Query); and the audit record (issue 23): one PutItem before the change, one
        // UpdateItem after it
        var first = DynamoRequestMeter.measure(() -> function.oncall(apply(document, false)));
        assertEquals(Map.of("Query", 2, "PutItem", 7 + 1, "UpdateItem", 1), first.requests());
        assertTrue(first.result().path("changed").asBoolean());
        assertEquals(7, onCallItems().size());
        onCallItems().forEach(item -> assertEquals("1", item.get("format").n(), "item format 1"));

        int recordsBefore = io.tocsin.support.AuditRecords.all(dynamo, settings.tableName()).size();
        var second = DynamoRequestMeter.measure(() -> function.oncall(apply(document, false)));
        assertEquals(Map.of("Query", 2), second.requests(),
                "the same document again: its dry run and the apply read, nothing is written (no audit record either)");
        var records = io.tocsin.support.AuditRecords.all(dynamo, settings.tableName());
        assertEquals(recordsBefore, records.size(), "an apply that changes nothing is not a change to audit");
        var last = records.get(records.size() - 1);
        assertEquals("oncall", last.get("kind").s());
        assertEquals("applied", last.get("outcome").s());
        assertEquals(io.tocsin.api.Actor.DIRECT_INVOKE, last.get("actor").s());
        assertEquals(0, second.result().path("changes").size());
        assertEquals("no change", second.result().path("summary").asText());
        assertFalse(second.result().path("changed").asBoolean());

        // export gives the applied document back, equal as a document and in its order
        JsonNode exported = LambdaCalls.invoke(JSON.createObjectNode().put("action", "export")).path("document");
        assertEquals(DocumentReader.read(document), DocumentReader.read(exported));
        assertEquals(List.of("ann", "bob", "cat"), ids(exported.path("people")));
        assertEquals(List.of("default", "database"), ids(exported.path("policies")));
    }

    @Test
    void aChangedDocumentWritesOnlyWhatChangedAndDeletesWhatIsGone() throws IOException {
        LambdaCalls.invoke(apply(example(), false));
        ObjectNode next = (ObjectNode) example();
        ((ObjectNode) next.path("people").get(2)).put("name", "Cat Renamed");
        ((ArrayNode) next.path("policies")).remove(1); // database
        ((ObjectNode) next.path("routing")).putArray("rules");
        var measured = DynamoRequestMeter.measure(() -> function.oncall(apply(next, false)));
        assertEquals(List.of("update person cat", "update routing routing", "delete policy database"),
                changes(measured.result()));
        assertEquals(Map.of("Query", 2, "PutItem", 2 + 1, "DeleteItem", 1, "UpdateItem", 1), measured.requests(),
                "the dry run's read, the apply's read, the changes, and the audit record's put and update");
        assertEquals(6, onCallItems().size());
        assertEquals(DocumentReader.read(next), DocumentReader.read(LambdaCalls.invoke(
                JSON.createObjectNode().put("action", "export")).path("document")));
    }

    @Test
    void aBadDocumentIs400NamingEveryFieldAndStoresNothing() throws IOException {
        JsonNode bad = JSON.readTree(Files.readString(Projects.root().resolve(
                "src/test/resources/oncall/five-errors.json")));
        JsonNode answer = LambdaCalls.invoke(HttpEvents.post("/oncall/apply", Map.of(),
                JSON.createObjectNode().set("document", bad).toString()));
        assertEquals(400, HttpEvents.status(answer), answer.toString());
        JsonNode body = HttpEvents.body(answer);
        assertEquals("invalid_request", body.path("error").asText());
        List<String> fields = new ArrayList<>();
        body.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertEquals(5, fields.size(), body.toString());
        assertTrue(fields.contains("document.people[1].zone"), fields.toString());
        assertTrue(fields.stream().allMatch(f -> f.startsWith("document")), fields.toString());
        assertEquals(List.of(), onCallItems());

        JsonNode noDocument = LambdaCalls.invoke(JSON.createObjectNode().put("action", "apply").put("dry_run", "x"));
        assertEquals(List.of("document", "dry_run"), fields(noDocument));
        JsonNode noAction = LambdaCalls.invoke(JSON.createObjectNode());
        assertEquals(List.of("action"), fields(noAction));
        JsonNode getApply = LambdaCalls.invoke(HttpEvents.request("GET", "/oncall/apply", Map.of("action", "apply"),
                Map.of(), null));
        assertEquals(400, HttpEvents.status(getApply));
        assertEquals(List.of(), onCallItems(), "apply is never taken as a GET");
    }

    @Test
    void whoIsOnCallNowShiftsAndAPersonsShiftsAgreeWithTheResolver() throws IOException {
        OnCallDocument document = DocumentReader.read(example());
        LambdaCalls.invoke(HttpEvents.post("/oncall/apply", Map.of(), apply(example(), false).toString()));
        Schedule primary = document.schedules().get(0);
        Instant now = clock.instant();

        var measured = DynamoRequestMeter.measure(() -> function.oncall(JSON.createObjectNode()
                .put("action", "now").put("schedule", "primary")));
        assertEquals(Map.of("Query", 1), measured.requests(), "who is on call: one Query of one partition");
        assertEquals(0, measured.itemsScanned() - 7, "it evaluates the on-call items only");
        JsonNode onCall = measured.result();
        assertEquals(ScheduleResolver.onCallAt(primary, now).orElseThrow(), onCall.path("person").asText());
        assertEquals("bob", onCall.path("person").asText(), "Monday 10:00 New York: office hours in Berlin");

        Instant saturday = Instant.parse("2026-03-08T12:00:00Z"); // the override, across the New York change
        JsonNode atOverride = HttpEvents.body(LambdaCalls.invoke(get("now", Map.of("schedule", "primary",
                "at", saturday.toString()))));
        assertEquals("cat", atOverride.path("person").asText());
        assertEquals("2026-03-09T13:30:00Z", atOverride.path("until").asText());

        JsonNode policy = LambdaCalls.invoke(JSON.createObjectNode().put("action", "now").put("policy", "database"));
        assertEquals("bob", policy.path("on_call").get(0).path("person").asText());
        assertEquals("person:bob", policy.path("on_call").get(0).path("via").asText());

        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        Instant to = Instant.parse("2026-03-15T00:00:00Z");
        JsonNode shifts = HttpEvents.body(LambdaCalls.invoke(get("shifts", Map.of("schedule", "primary",
                "from", from.toString(), "to", to.toString()))));
        List<Shift> expected = ScheduleResolver.shifts(primary, from, to);
        assertEquals(expected.size(), shifts.path("shifts").size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode s = shifts.path("shifts").get(i);
            assertEquals(expected.get(i), new Shift(s.path("person").asText(), Instant.parse(s.path("start").asText()),
                    Instant.parse(s.path("end").asText())));
        }

        JsonNode person = LambdaCalls.invoke(JSON.createObjectNode().put("action", "person").put("id", "cat")
                .put("days", 21));
        List<Shift> cats = ScheduleResolver.upcoming(document.schedules(), "cat", now, Duration.ofDays(21));
        assertFalse(cats.isEmpty());
        assertEquals(cats.size(), person.path("shifts").size(), person.toString());
        assertEquals(cats.get(0).start().toString(), person.path("shifts").get(0).path("start").asText());
        assertEquals("primary", person.path("shifts").get(0).path("schedule").asText());
    }

    @Test
    void badReadsNameTheirFields() {
        assertEquals(List.of("schedule"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "now"))));
        assertEquals(List.of("policy"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "now")
                .put("schedule", "primary").put("policy", "default"))));
        assertEquals(List.of("at"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "now")
                .put("schedule", "primary").put("at", "yesterday"))));
        assertEquals(List.of("to"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "shifts")
                .put("schedule", "primary").put("from", "2026-01-01T00:00:00Z").put("to", "2026-06-01T00:00:00Z"))));
        assertEquals(List.of("schedule", "from", "to"), fields(LambdaCalls.invoke(JSON.createObjectNode()
                .put("action", "shifts"))));
        assertEquals(List.of("days"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "person")
                .put("id", "ann").put("days", 400))));
        JsonNode unknown = LambdaCalls.invoke(get("now", Map.of("schedule", "nope")));
        assertEquals(404, HttpEvents.status(unknown));
        assertEquals("not_found", HttpEvents.body(unknown).path("error").asText());
    }

    @Test
    void aRangeOfMoreShiftsThanOneAnswerHoldsIsRefusedNamingTheField() throws IOException {
        ObjectNode document = (ObjectNode) example();
        // a one-minute rotation: 93 days of it are 133,920 shifts, over the 10,000 of one answer
        ((ObjectNode) document.path("schedules").get(0).path("layers").get(0)).put("turn", "PT1M");
        LambdaCalls.invoke(apply(document, false));
        JsonNode tooMany = LambdaCalls.invoke(JSON.createObjectNode().put("action", "shifts")
                .put("schedule", "primary").put("from", "2026-01-01T00:00:00Z").put("to", "2026-04-01T00:00:00Z"));
        assertEquals(List.of("to"), fields(tooMany));
        assertTrue(tooMany.path("problems").get(0).path("message").asText().contains("more than 10000"));
        JsonNode fewer = LambdaCalls.invoke(JSON.createObjectNode().put("action", "shifts")
                .put("schedule", "primary").put("from", "2026-01-01T00:00:00Z").put("to", "2026-01-02T00:00:00Z"));
        assertTrue(fewer.path("shifts").size() > 500, "a day of one-minute turns (16 hours outside office hours) is answered");
        assertEquals(List.of("days"), fields(LambdaCalls.invoke(JSON.createObjectNode().put("action", "person")
                .put("id", "ann").put("days", 93))));
    }

    @Test
    void aStoredDocumentThatDoesNotReadIs409AndTheNextApplyRepairsIt() throws IOException {
        LambdaCalls.invoke(apply(example(), false));
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(settings.tableName())
                .key(io.tocsin.store.Attr.key(OnCallItems.PARTITION, "PERSON#cat")).build());
        JsonNode broken = LambdaCalls.invoke(get("now", Map.of("schedule", "primary")));
        assertEquals(409, HttpEvents.status(broken), broken.toString());
        assertEquals(List.of("document"), fields(HttpEvents.body(broken)));
        assertEquals("conflict", LambdaCalls.invoke(JSON.createObjectNode().put("action", "export"))
                .path("error").asText());
        JsonNode repaired = LambdaCalls.invoke(apply(example(), false));
        assertTrue(repaired.path("changed").asBoolean(), repaired.toString());
        assertEquals(DocumentReader.read(example()), DocumentReader.read(LambdaCalls.invoke(
                JSON.createObjectNode().put("action", "export")).path("document")));
        assertEquals(200, HttpEvents.status(LambdaCalls.invoke(get("now", Map.of("schedule", "primary")))));
    }

    private static ObjectNode get(String action, Map<String, String> query) {
        ObjectNode event = HttpEvents.request("GET", "/oncall/" + action, Map.of("action", action), Map.of(), null);
        ObjectNode q = event.putObject("queryStringParameters");
        query.forEach(q::put);
        return event;
    }

    private static List<String> fields(JsonNode answer) {
        List<String> fields = new ArrayList<>();
        answer.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        return fields;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    private static String text(JsonNode change) {
        return change.path("action").asText() + " " + change.path("kind").asText() + " " + change.path("id").asText();
    }

    private static List<String> changes(JsonNode answer) {
        List<String> list = new ArrayList<>();
        answer.path("changes").forEach(c -> list.add(text(c)));
        return list;
    }
}
