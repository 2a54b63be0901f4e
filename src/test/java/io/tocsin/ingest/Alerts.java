package io.tocsin.ingest;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Alert events for tests, each with its own source so that tests sharing one table never dedup each other. */
final class Alerts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Alerts() {
    }

    static ObjectNode alert(String severity, String title) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("severity", severity);
        alert.put("title", title);
        alert.put("description", "raised by a test");
        alert.put("source", "test-" + UUID.randomUUID());
        alert.putObject("metadata").put("test", true);
        return alert;
    }
}
