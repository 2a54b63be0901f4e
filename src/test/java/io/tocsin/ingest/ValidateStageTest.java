package io.tocsin.ingest;

import io.tocsin.api.Problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ValidateStageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ValidateStage validate = new ValidateStage();

    private List<Problem> check(String json) throws Exception {
        JsonNode event = JSON.readTree(json);
        return validate.check(event, json.length());
    }

    private static List<String> fields(List<Problem> problems) {
        return problems.stream().map(Problem::field).toList();
    }

    @Test
    void aCompleteAlertHasNoProblems() throws Exception {
        assertEquals(List.of(), check("{\"severity\":\"LOW\",\"title\":\"t\",\"source\":\"s\",\"description\":\"d\","
                + "\"metadata\":{},\"dedup_key\":\"k\"}"));
    }

    @Test
    void severityIsCaseInsensitiveButClosed() throws Exception {
        assertEquals(List.of(), check("{\"severity\":\"HiGh\",\"title\":\"t\",\"source\":\"s\"}"));
        assertEquals(List.of("severity"), fields(check("{\"severity\":\"warning\",\"title\":\"t\",\"source\":\"s\"}")));
        assertEquals(List.of("severity"), fields(check("{\"severity\":3,\"title\":\"t\",\"source\":\"s\"}")));
    }

    @Test
    void limitsAreInclusive() throws Exception {
        String ok = "{\"severity\":\"low\",\"title\":\"" + "t".repeat(1024) + "\",\"source\":\"s\",\"dedup_key\":\""
                + "k".repeat(255) + "\"}";
        assertEquals(List.of(), check(ok));
        String over = "{\"severity\":\"low\",\"title\":\"" + "t".repeat(1025) + "\",\"source\":\"s\",\"dedup_key\":\""
                + "k".repeat(256) + "\"}";
        assertEquals(List.of("title", "dedup_key"), fields(check(over)));
    }

    @Test
    void aTitleWithLineBreaksIsAcceptedButOneOfOnlyControlOrDirectionCharactersIsNot() throws Exception {
        assertEquals(List.of(), check("{\"severity\":\"low\",\"title\":\"db down\\r\\nBcc: x\",\"source\":\"s\"}"));
        assertEquals(List.of("title", "source"), fields(check(
                "{\"severity\":\"low\",\"title\":\"\\u202e\\u202c\",\"source\":\"\\u0085\\u2066\"}")));
    }

    @Test
    void theWholeEventIsLimitedTo512Kb() {
        var event = JSON.createObjectNode().put("severity", "low").put("title", "t").put("source", "s");
        assertEquals(List.of(), validate.check(event, 512 * 1024));
        var problems = validate.check(event, 512 * 1024 + 1);
        assertEquals(List.of("(event)"), fields(problems));
        assertTrue(problems.get(0).message().contains("524289 bytes"), problems.get(0).message());
    }

    @Test
    void wrongTypesAndBlanksAreNamed() throws Exception {
        var problems = check("{\"severity\":\"low\",\"title\":\"  \",\"source\":[],\"description\":{},"
                + "\"metadata\":\"x\",\"dedup_key\":5,\"rule\":7}");
        assertEquals(List.of("rule", "title", "source", "description", "metadata", "dedup_key"), fields(problems));
    }

    @Test
    void aKnownRuleStandsInForSeverityAndTitle() throws Exception {
        assertEquals(List.of(), check("{\"rule\":\"disk_usage_high\",\"source\":\"db-1\"}"));
        assertEquals(List.of("rule"), fields(check("{\"rule\":\"no_such_rule\",\"source\":\"db-1\","
                + "\"severity\":\"low\",\"title\":\"t\"}")));
    }

    @Test
    void anythingButAnObjectIsRejected() throws Exception {
        assertEquals(List.of("(event)"), fields(check("[1,2]")));
        assertEquals(List.of("(event)"), fields(check("\"alert\"")));
    }
}
