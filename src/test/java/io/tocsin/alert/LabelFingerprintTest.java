package io.tocsin.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Against the values prometheus/common's own tests pin (model/signature_test.go), printed as Alertmanager prints them. */
class LabelFingerprintTest {

    private static String hex(String unsignedDecimal) {
        return String.format("%016x", Long.parseUnsignedLong(unsignedDecimal));
    }

    @Test
    void matchesPrometheusCommonTestVectors() {
        assertEquals(hex("14695981039346656037"), LabelFingerprint.of(Map.of()), "empty set: the FNV offset basis");
        assertEquals(hex("5799056148416392346"),
                LabelFingerprint.of(Map.of("name", "garland, briggs", "fear", "love is not enough")));
        assertEquals(hex("5146282821936882169"), LabelFingerprint.of(Map.of("first-label", "first-label-value")));
        assertEquals(hex("3195800080984914717"), LabelFingerprint.of(Map.of("first-label", "first-label-value",
                "second-label", "second-label-value")));
        assertEquals(hex("13843036195897128121"), LabelFingerprint.of(Map.of("first-label", "first-label-value",
                "second-label", "second-label-value", "third-label", "third-label-value")));
    }

    @Test
    void orderOfTheLabelsDoesNotMatterAndEveryLabelDoes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("alertname", "InstanceDown");
        a.put("instance", "10.0.0.1:9100");
        a.put("job", "node");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("job", "node");
        b.put("instance", "10.0.0.1:9100");
        b.put("alertname", "InstanceDown");
        assertEquals(LabelFingerprint.of(a), LabelFingerprint.of(b));
        assertEquals(16, LabelFingerprint.of(a).length());

        Map<String, String> otherInstance = new LinkedHashMap<>(a);
        otherInstance.put("instance", "10.0.0.2:9100");
        assertNotEquals(LabelFingerprint.of(a), LabelFingerprint.of(otherInstance));
        // the separator keeps name/value boundaries apart: {ab: c} is not {a: bc}
        assertNotEquals(LabelFingerprint.of(Map.of("ab", "c")), LabelFingerprint.of(Map.of("a", "bc")));
        Map<String, String> extra = new LinkedHashMap<>(a);
        extra.put("team", "");
        assertNotEquals(LabelFingerprint.of(a), LabelFingerprint.of(extra), "an empty-valued label still counts");
    }

    @Test
    void namesSortByTheirUtf8BytesAsGoSortsStrings() {
        // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in Go; in Java's UTF-16 order it is after.
        Map<String, String> labels = Map.of("\uFF5E", "x", "\uD83D\uDE00", "y");
        long hash = LabelFingerprint.OFFSET64;
        for (String part : new String[] {"\uFF5E", "x", "\uD83D\uDE00", "y"}) {
            for (byte by : part.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                hash = (hash ^ (by & 0xff)) * LabelFingerprint.PRIME64;
            }
            hash = (hash ^ LabelFingerprint.SEPARATOR) * LabelFingerprint.PRIME64;
        }
        assertEquals(String.format("%016x", hash), LabelFingerprint.of(labels));
    }
}
