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
    void withoutAFingerprintTheLabelSetGivesAlertmanagersOwn() {
        ObjectNode alert = JSON.createObjectNode();
        alert.putObject("labels").put("severity", "high").put("alertname", "Lag").put("job", "db");
        String computed = AlertmanagerAlerts.fingerprint(alert);
        assertEquals(io.tocsin.alert.LabelFingerprint.of(java.util.Map.of("alertname", "Lag", "job", "db",
                "severity", "high")), computed, "the fingerprint Alertmanager computes (LabelFingerprintTest)");
        ObjectNode reordered = JSON.createObjectNode();
        reordered.putObject("labels").put("job", "db").put("alertname", "Lag").put("severity", "high");
        assertEquals(computed, AlertmanagerAlerts.fingerprint(reordered), "order in the payload does not matter");
        ((ObjectNode) reordered.path("labels")).put("job", "db2");
        assertNotEquals(computed, AlertmanagerAlerts.fingerprint(reordered));
        assertEquals("f00d", AlertmanagerAlerts.fingerprint(reordered.put("fingerprint", "f00d")), "one sent wins");
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
