package io.tocsin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.alert.Alert;
import io.tocsin.alert.Severity;

class NormaliseStageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final NormaliseStage normalise = new NormaliseStage();

    private Alert apply(String json) throws Exception {
        return normalise.apply(JSON.readTree(json), NOW);
    }

    @Test
    void stringsAreTrimmedAndSeverityBecomesAnEnum() throws Exception {
        Alert alert = apply("{\"severity\":\" Critical \",\"title\":\"  DB down \",\"source\":\" db \","
                + "\"dedup_key\":\" db-down \"}");
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals("DB down", alert.title());
        assertEquals("db", alert.source());
        assertEquals("db-down", alert.dedupKey());
        assertFalse(alert.dedupKeyDerived());
        assertEquals("", alert.description());
        assertTrue(alert.metadata().isEmpty());
        assertEquals(NOW, alert.receivedAt());
    }

    @Test
    void theDerivedKeyDependsOnSourceAndTitleOnly() throws Exception {
        Alert a = apply("{\"severity\":\"low\",\"title\":\"t\",\"source\":\"s\",\"description\":\"one\"}");
        Alert b = apply("{\"severity\":\"high\",\"title\":\" t\",\"source\":\"s \",\"description\":\"two\"}");
        Alert c = apply("{\"severity\":\"low\",\"title\":\"t\",\"source\":\"s2\"}");
        assertTrue(a.dedupKeyDerived());
        assertEquals(a.dedupKey(), b.dedupKey());
        assertNotEquals(a.dedupKey(), c.dedupKey());
        assertTrue(a.dedupKey().startsWith("auto:") && a.dedupKey().length() == 5 + 64, a.dedupKey());
    }

    @Test
    void sourceAndTitleCannotCollideBySplittingDifferently() throws Exception {
        Alert a = apply("{\"severity\":\"low\",\"title\":\"bc\",\"source\":\"a\"}");
        Alert b = apply("{\"severity\":\"low\",\"title\":\"c\",\"source\":\"ab\"}");
        assertNotEquals(a.dedupKey(), b.dedupKey());
    }

    @Test
    void aRuleFillsWhatTheAlertLeavesOut() throws Exception {
        Alert fromRule = apply("{\"rule\":\"disk_usage_high\",\"source\":\"db-1\"}");
        assertEquals(Severity.HIGH, fromRule.severity());
        assertEquals("Disk usage above 85%", fromRule.title());
        assertEquals("disk_usage_high", fromRule.rule());
        Alert overridden = apply("{\"rule\":\"disk_usage_high\",\"source\":\"db-1\",\"severity\":\"critical\","
                + "\"title\":\"Disk 99% on db-1\"}");
        assertEquals(Severity.CRITICAL, overridden.severity());
        assertEquals("Disk 99% on db-1", overridden.title());
    }
}
