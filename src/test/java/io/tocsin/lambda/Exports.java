package io.tocsin.lambda;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One application start per exported function: the mock Lambda event server serves the exported one. A test of any
 * package that needs nothing but a function exported uses these, so that it shares the start (and the dynalite) with
 * the function's Lambda and fuzz tests; the fuzz tests run last in the profile ({@link io.tocsin.support.ProfileOrder}).
 */
public final class Exports {

    private Exports() {
    }

    public static class Acknowledge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "acknowledge");
        }
    }

    public static class Incident implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "incident");
        }
    }

    public static class Resolve implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "resolve");
        }
    }

    public static class OnCall implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "oncall");
        }
    }

    public static class Incidents implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "incidents");
        }
    }

    public static class Webhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "pagerduty-webhook");
        }
    }

    public static class Alertmanager implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "alertmanager");
        }
    }

    public static class Evaluate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "evaluate");
        }
    }

    public static class Dashboard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "dashboard");
        }
    }

    public static class Maintenance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "maintenance");
        }
    }

    public static class Metrics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "metrics");
        }
    }

    public static class Rules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "rules");
        }
    }

    public static class EscalationSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "escalation-sweep");
        }
    }

    public static class DailySummary implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "daily-summary");
        }
    }

    public static class Tokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "tokens");
        }
    }

    /** Grafana with HMAC signing configured: two secrets (a rotation) and a timestamp header. */
    public static class GrafanaSigned implements QuarkusTestProfile {
        static final String SECRET = "grafana-hmac-current-2f9c";
        static final String OLD_SECRET = "grafana-hmac-previous-77ab";
        static final String TIMESTAMP_HEADER = "X-Grafana-Alerting-Timestamp";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "grafana",
                    "tocsin.grafana.webhook-secret", SECRET + "," + OLD_SECRET,
                    "tocsin.grafana.timestamp-header", TIMESTAMP_HEADER);
        }
    }

    public static class Heartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "heartbeat");
        }
    }
}
