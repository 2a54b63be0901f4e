package io.tocsin.ingest;

import io.tocsin.api.Problem;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.tocsin.alert.AlertRule;
import io.tocsin.alert.Severity;
import io.tocsin.notify.Texts;

/** Stage 1: every problem of an event, each named by field, in one answer. Stores nothing. */
@Singleton
public class ValidateStage {

    /** PagerDuty Events API v2: the whole event is at most 512 KB (developer-docs events-API-v2 overview). */
    public static final int MAX_EVENT_BYTES = 512 * 1024;
    /** PagerDuty Events API v2: payload.summary is at most 1024 characters (api-schema events-v2 openapiv3.json). */
    public static final int MAX_TITLE_CHARS = 1024;
    /** PagerDuty Events API v2: dedup_key is at most 255 characters (api-schema events-v2 openapiv3.json). */
    public static final int MAX_DEDUP_KEY_CHARS = 255;
    /** Our own bound: the source names a system; it becomes PagerDuty's payload.source and a dashboard filter. */
    public static final int MAX_SOURCE_CHARS = 255;

    public List<Problem> check(JsonNode event, long eventBytes) {
        List<Problem> problems = new ArrayList<>();
        if (eventBytes > MAX_EVENT_BYTES) {
            problems.add(new Problem("(event)", "is " + eventBytes + " bytes; at most " + MAX_EVENT_BYTES + " are accepted"));
        }
        if (event == null || !event.isObject()) {
            problems.add(new Problem("(event)", "must be a JSON object"));
            return problems;
        }
        boolean hasRule = knownRule(event.get("rule"), problems);
        JsonNode severity = event.get("severity");
        if (!present(severity)) {
            if (!hasRule) {
                problems.add(new Problem("severity", "is required (one of " + Severity.allowed() + ")"));
            }
        } else if (!severity.isTextual() || Severity.parse(severity.asText()).isEmpty()) {
            problems.add(new Problem("severity", "must be one of " + Severity.allowed() + ", got " + severity));
        }

        JsonNode title = event.get("title");
        if (!present(title)) {
            if (!hasRule) {
                problems.add(new Problem("title", "is required"));
            }
        } else {
            text("title", title, MAX_TITLE_CHARS, problems);
        }

        JsonNode source = event.get("source");
        if (!present(source)) {
            problems.add(new Problem("source", "is required (the system the alert is about)"));
        } else {
            text("source", source, MAX_SOURCE_CHARS, problems);
        }

        JsonNode description = event.get("description");
        if (present(description) && !description.isTextual()) {
            problems.add(new Problem("description", "must be a string"));
        }

        JsonNode metadata = event.get("metadata");
        if (present(metadata) && !metadata.isObject()) {
            problems.add(new Problem("metadata", "must be a JSON object, got " + metadata.getNodeType().name().toLowerCase()));
        }

        JsonNode dedupKey = event.get("dedup_key");
        if (present(dedupKey)) {
            text("dedup_key", dedupKey, MAX_DEDUP_KEY_CHARS, problems);
        }
        return problems;
    }

    /** Whether {@code rule} names a known rule; a problem when it is given but is not one. */
    private static boolean knownRule(JsonNode rule, List<Problem> problems) {
        if (!present(rule)) {
            return false;
        }
        if (!rule.isTextual()) {
            problems.add(new Problem("rule", "must be a string"));
        } else if (AlertRule.named(rule.asText()).isEmpty()) {
            problems.add(new Problem("rule", "'" + rule.asText() + "' is not a known rule (see the rules catalogue)"));
        } else {
            return true;
        }
        return false;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static void text(String field, JsonNode node, int maxChars, List<Problem> problems) {
        if (!node.isTextual()) {
            problems.add(new Problem(field, "must be a string"));
        } else if (node.asText().isBlank()) {
            problems.add(new Problem(field, "must not be blank"));
        } else if (Texts.singleLine(node.asText()).isBlank()) {
            // nothing would be left of it in a PagerDuty summary, an email subject or a log line
            problems.add(new Problem(field, "has no visible characters (only control or text-direction characters)"));
        } else if (node.asText().trim().length() > maxChars) {
            problems.add(new Problem(field, "is " + node.asText().trim().length() + " characters; at most " + maxChars
                    + " are accepted"));
        }
    }
}
