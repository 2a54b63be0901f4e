package io.tocsin.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tocsin.alert.Severity;

/** The mapping Alertmanager's and Grafana's webhooks share. */
class AlertmanagerAlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLabelSetHashIsTheSha256OfTheSortedPairs() throws Exception {
        ObjectNode labels = JSON.createObjectNode().put("severity", "high").put("alertname", "Lag").put("job", "db");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("alertname=Lag\njob=db\nseverity=high".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, AlertmanagerAlerts.labelSetHash(labels));
        ObjectNode reordered = JSON.createObjectNode().put("job", "db").put("alertname", "Lag").put("severity", "high");
        assertEquals(expected, AlertmanagerAlerts.labelSetHash(reordered), "order in the payload does not matter");
        assertNotEquals(expected, AlertmanagerAlerts.labelSetHash(reordered.put("job", "db2")));
    }

    @Test
    void severityLabels() {
        for (String label : List.of("critical", "PAGE", " emergency ")) {
            assertEquals(Severity.CRITICAL, AlertmanagerAlerts.severity(label), label);
        }
        for (String label : List.of("error", "high", "major")) {
            assertEquals(Severity.HIGH, AlertmanagerAlerts.severity(label), label);
        }
        for (String label : List.of("warning", "warn", "medium", "minor")) {
            assertEquals(Severity.MEDIUM, AlertmanagerAlerts.severity(label), label);
        }
        for (String label : List.of("info", "none", "")) {
            assertEquals(Severity.LOW, AlertmanagerAlerts.severity(label), label);
        }
    }

    @Test
    void titleSourceAndLimits() {
        ObjectNode alert = JSON.createObjectNode().put("status", "firing").put("fingerprint", "f1");
        alert.putObject("labels").put("alertname", "HighErrorRate").put("instance", "10.0.0.7:8080")
                .put("job", " ").put("severity", "warning");
        alert.putObject("annotations").put("summary", "x".repeat(2000));
        String source = AlertmanagerAlerts.source("alertmanager", alert.path("labels"), List.of("job", "instance"),
                "tocsin");
        assertEquals("alertmanager:10.0.0.7:8080", source, "a blank job label falls through to instance");
        var mapped = AlertmanagerAlerts.map(alert, "k".repeat(300), source, "", JSON.createObjectNode());
        assertEquals(1024, mapped.input().path("title").asText().length(), "PagerDuty's summary limit");
        assertEquals(255, mapped.dedupKey().length());
        assertEquals("medium", mapped.input().path("severity").asText());
        assertEquals(false, mapped.resolved());
        assertEquals("alertmanager:tocsin", AlertmanagerAlerts.source("alertmanager", JSON.createObjectNode(),
                List.of("job"), "tocsin"));
    }
}
