package io.tocsin.oncall.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.oncall.document.DocumentReader;
import io.tocsin.oncall.importer.OpsgenieImporter;
import io.tocsin.oncall.importer.PagerDutyImporter;
import io.tocsin.support.Projects;

/** {@code import}: a vendor export in, the importer's document out, ready to apply; bad input named by field. */
class OnCallImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String name) throws Exception {
        return JSON.readTree(new File(Projects.root().resolve("src/test/resources/oncall/import/" + name).toString()));
    }

    @Test
    void anOpsgenieExportBecomesTheImportersDocument() throws Exception {
        ObjectNode input = JSON.createObjectNode().put("source", "opsgenie");
        input.set("schedule", fixture("opsgenie-schedule.json"));
        input.set("overrides", fixture("opsgenie-overrides.json"));
        var answer = new OnCallImport().read(input);
        assertEquals(200, answer.status(), answer.body().toString());
        assertEquals(OpsgenieImporter.read(fixture("opsgenie-schedule.json"), fixture("opsgenie-overrides.json"))
                .document(), DocumentReader.read(answer.body().path("document")), "the answer applies as it is");
    }

    @Test
    void aPagerDutyExportBecomesTheImportersDocument() throws Exception {
        ObjectNode input = JSON.createObjectNode().put("source", "pagerduty");
        input.set("schedule", fixture("pagerduty-schedule.json"));
        input.putArray("policies").add(fixture("pagerduty-escalation-policy.json"));
        var answer = new OnCallImport().read(input);
        assertEquals(200, answer.status(), answer.body().toString());
        assertEquals(PagerDutyImporter.read(fixture("pagerduty-schedule.json"),
                java.util.List.of(fixture("pagerduty-escalation-policy.json"))).document(),
                DocumentReader.read(answer.body().path("document")));
    }

    @Test
    void badInputIsNamed() {
        var answer = new OnCallImport().read(JSON.createObjectNode().put("source", "splunk"));
        assertEquals(400, answer.status());
        assertTrue(answer.body().toString().contains("\"field\":\"source\""), answer.body().toString());
        assertTrue(answer.body().toString().contains("\"field\":\"schedule\""), answer.body().toString());
        ObjectNode broken = JSON.createObjectNode().put("source", "opsgenie");
        broken.putObject("schedule").putObject("data").put("timezone", "Mars/Base");
        var named = new OnCallImport().read(broken);
        assertEquals(400, named.status());
        assertTrue(named.body().toString().contains("schedule.data.timezone"), named.body().toString());
    }
}
