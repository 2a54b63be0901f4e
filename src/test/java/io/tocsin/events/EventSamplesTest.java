package io.tocsin.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.incident.IncidentFunction;
import io.tocsin.ingest.IngestFunction;
import io.tocsin.support.PagerDutyFake;
import io.tocsin.support.Projects;

/**
 * Every sample in {@code events/<function>/} goes through the function its folder names, and its answer is checked
 * against the outcome listed here. A sample with no listed outcome, or a folder naming no function, fails the test.
 */
@QuarkusTest
class EventSamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IngestFunction ingest;
    @Inject
    IncidentFunction incident;

    private static Predicate<JsonNode> field(String name, String value) {
        return answer -> value.equals(answer.path(name).asText());
    }

    private static Predicate<JsonNode> http(int status, String bodyField, String value) {
        return answer -> {
            try {
                return answer.path("statusCode").asInt() == status
                        && value.equals(JSON.readTree(answer.path("body").asText()).path(bodyField).asText());
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** What each sample must produce. */
    private static final Map<String, Predicate<JsonNode>> EXPECTED = Map.of(
            "ingest/direct.json", field("status", "created"),
            "ingest/api-gateway-http.json", http(201, "status", "created"),
            "incident/direct.json", field("error", "not_found"),
            "incident/api-gateway-http.json", http(404, "error", "not_found"));

    @TestFactory
    Stream<DynamicTest> everySampleRunsThroughItsFunction() throws IOException {
        PagerDutyFake.reset();
        Map<String, Function<JsonNode, JsonNode>> functions = Map.of(
                "ingest", ingest::ingest,
                "incident", incident::incident);
        Path events = Projects.root().resolve("events");
        List<Path> samples;
        try (Stream<Path> walk = Files.walk(events)) {
            samples = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(samples.size() >= EXPECTED.size(), "samples found: " + samples);
        return samples.stream().map(sample -> {
            String name = events.relativize(sample).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(name, () -> {
                String function = name.substring(0, name.indexOf('/'));
                Function<JsonNode, JsonNode> invoke = functions.get(function);
                assertNotNull(invoke, "events/" + function + "/ names no function");
                Predicate<JsonNode> expected = EXPECTED.get(name);
                assertNotNull(expected, "no expected outcome listed for events/" + name);
                JsonNode answer = invoke.apply(JSON.readTree(sample.toFile()));
                assertTrue(expected.test(answer), "events/" + name + " answered " + answer);
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> everyListedOutcomeHasItsSample() {
        return EXPECTED.keySet().stream().map(name -> DynamicTest.dynamicTest(name,
                () -> assertEquals(true, Files.isRegularFile(Projects.root().resolve("events").resolve(name)))));
    }
}
