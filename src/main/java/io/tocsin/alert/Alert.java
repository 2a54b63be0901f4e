package io.tocsin.alert;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A valid, normalised alert: what the ingest pipeline works on after validation.
 *
 * @param dedupKey     the caller's key, or one derived from source and title ({@link #dedupKeyDerived})
 * @param rule         the predefined rule the alert named, or null
 * @param receivedAt   when Tocsin received it
 */
public record Alert(Severity severity, String title, String description, String source, ObjectNode metadata,
        String dedupKey, boolean dedupKeyDerived, String rule, Instant receivedAt) {
}
