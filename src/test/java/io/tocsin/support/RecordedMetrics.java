package io.tocsin.support;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.emf.EmfSink;

/**
 * The tests' EMF sink: replaces the standard-output default bean in every Quarkus test, keeps every line written and
 * still prints it (cost tests count the bytes a function prints).
 */
@Singleton
public class RecordedMetrics implements EmfSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(String line) {
        lines.add(line);
        System.out.println(line);
    }

    public synchronized void clear() {
        lines.clear();
    }

    /** Every line written since the last {@link #clear()}, parsed. */
    public synchronized List<JsonNode> lines() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            try {
                parsed.add(JSON.readTree(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return parsed;
    }

    /** The lines that carry {@code metricName}, in order. */
    public List<JsonNode> of(String metricName) {
        return lines().stream().filter(line -> line.has(metricName)).toList();
    }
}
