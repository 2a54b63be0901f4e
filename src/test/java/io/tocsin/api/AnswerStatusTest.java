package io.tocsin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.support.Projects;

/**
 * {@link Answer#statusOf}, which the local run answers a direct call with, gives every error code the status the code
 * gives it on the API Gateway path: each {@code Answer.error(<status>, "<code>", …)} of src/main is checked.
 */
class AnswerStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyErrorCodeOfTheCodeHasItsApiGatewayStatus() throws IOException {
        Map<String, Integer> codes = new TreeMap<>();
        Pattern call = Pattern.compile("error\\((\\d{3}), \"([a-z_]+)\"");
        try (Stream<Path> files = Files.walk(Projects.root().resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(file));
                while (m.find()) {
                    codes.put(m.group(2), Integer.parseInt(m.group(1)));
                }
            }
        }
        codes.put("invalid_request", Answer.invalid(List.of()).status());
        codes.put("not_found", Answer.notFound("incident_id", "x").status());
        codes.put("malformed_json", ApiGateway.malformedJson(new byte[0]).path("statusCode").asInt());
        codes.put("invalid_alert", 400);
        assertTrue(codes.keySet().containsAll(List.of("unauthorized", "forbidden", "conflict", "payload_too_large")),
                codes.toString());
        codes.forEach((code, status) -> assertEquals(status,
                Answer.statusOf(JSON.createObjectNode().put("error", code)), code));
    }

    @Test
    void anAnswerWithoutAnErrorIsOk() {
        assertEquals(200, Answer.statusOf(JSON.createObjectNode().put("status", "created")));
        assertEquals(200, Answer.statusOf(JSON.createObjectNode().put("statusCode", 401)),
                "a proxy response returned to a direct call is a success of the call");
        assertEquals(200, Answer.statusOf(null));
    }
}
