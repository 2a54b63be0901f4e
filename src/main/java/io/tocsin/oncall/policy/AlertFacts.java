package io.tocsin.oncall.policy;

import io.tocsin.alert.Severity;
import java.util.Map;

/** What routing looks at: the alert's source, severity, labels (and metadata) and the name of the token it came with. */
public record AlertFacts(String source, Severity severity, Map<String, String> labels, String token) {

    public AlertFacts {
        labels = Map.copyOf(labels);
    }
}
