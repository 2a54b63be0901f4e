package io.tocsin.lambda;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** One application start per exported function: the mock Lambda event server serves the exported one. */
final class Exports {

    private Exports() {
    }

    public static class Acknowledge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "acknowledge");
        }
    }

    public static class Resolve implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "resolve");
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

    public static class Heartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "heartbeat");
        }
    }
}
