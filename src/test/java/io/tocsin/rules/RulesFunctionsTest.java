package io.tocsin.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.tocsin.alert.Severity;
import io.tocsin.incident.IncidentStore;
import io.tocsin.support.PagerDutyFake;

@QuarkusTest
class RulesFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RulesFunctions functions;
    @Inject
    IncidentStore incidents;

    @Test
    void theCatalogueListsEveryRuleWithItsThreshold() {
        JsonNode rules = functions.rules(JSON.createObjectNode()).path("rules");
        assertEquals(14, rules.size());
        JsonNode disk = rules.get(4);
        assertEquals("disk_usage_high", disk.path("name").asText());
        assertEquals("high", disk.path("severity").asText());
        assertEquals(0.85, disk.path("threshold").asDouble());
    }

    @Test
    void evaluationRaisesTheMostSevereRulePerFamilyOnceWhileTheMetricStaysBad() {
        PagerDutyFake.reset();
        String source = "api-" + UUID.randomUUID();
        JsonNode first = functions.evaluate(JSON.createObjectNode().put("source", source).put("error_rate", 0.07)
                .put("api_p99_ms", 1500).put("disk_usage", 0.87));
        List<String> rules = new ArrayList<>();
        first.path("fired").forEach(f -> rules.add(f.path("rule").asText() + "=" + f.path("status").asText()));
        assertEquals(List.of("error_rate_critical=created", "disk_usage_high=created"), rules);
        var incident = incidents.findAsStored(first.path("fired").get(0).path("incident_id").asText()).orElseThrow();
        assertEquals(Severity.CRITICAL, incident.alert().severity());
        assertEquals("Error rate above 5%", incident.alert().title());
        assertEquals(0.07, incident.alert().metadata().path("value").asDouble());

        JsonNode again = functions.evaluate(JSON.createObjectNode().put("source", source).put("error_rate", 0.08));
        assertEquals("duplicate", again.path("fired").get(0).path("reason").asText());
    }

    @Test
    void badSamplesNameTheField() {
        JsonNode answer = functions.evaluate(JSON.createObjectNode().put("error_rate", "high"));
        List<String> fields = new ArrayList<>();
        answer.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertEquals(List.of("source", "error_rate"), fields);
        assertEquals("(event)", functions.evaluate(JSON.createObjectNode().put("source", "x").put("cpu", 3))
                .path("problems").get(0).path("field").asText());
    }
}
