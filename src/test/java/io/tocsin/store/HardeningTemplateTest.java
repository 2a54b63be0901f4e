package io.tocsin.store;

import static io.tocsin.store.TemplateTableTest.FUNCTION_TYPES;
import static io.tocsin.store.TemplateTableTest.TABLE_ARN;
import static io.tocsin.store.TemplateTableTest.list;
import static io.tocsin.store.TemplateTableTest.map;
import static io.tocsin.store.TemplateTableTest.policyStatements;
import static io.tocsin.store.TemplateTableTest.properties;
import static io.tocsin.store.TemplateTableTest.resourcesOfType;
import static io.tocsin.store.TemplateTableTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tocsin.config.SecretStore;
import io.tocsin.dedup.DedupStore;
import io.tocsin.heartbeat.HeartbeatStore;
import io.tocsin.incident.IncidentStore;
import io.tocsin.snapstart.SnapStartPriming;
import io.tocsin.token.TokenStore;

/**
 * Issue 11's abuse limits, secrets, logs and permissions, as template.yaml declares them: every route throttled and
 * the public ones more strictly, the webhook functions' reserved concurrency, a log group with retention for every
 * function, secrets only as names in the environment with GetSecretValue on exactly those secrets, and
 * {@code dynamodb:LeadingKeys} on the table statements of ingest, the PagerDuty webhook and the sweep.
 */
class HardeningTemplateTest {

    /** The functions behind a public (unsigned, unauthenticated at API Gateway) webhook route, besides ingest. */
    /** The functions behind public routes without SigV4 (the iCal feed's secret URL is one: docs/oncall.md). */
    private static final Set<String> WEBHOOK_FUNCTIONS = Set.of("PagerDutyWebhookFunction", "AlertmanagerFunction",
            "GrafanaFunction", "OnCallFeedFunction");
    private static final Set<String> SECRET_VALUE_VARIABLES = Set.of("PAGERDUTY_INTEGRATION_KEY", "PAGERDUTY_API_KEY",
            "PAGERDUTY_WEBHOOK_SECRET", "TOCSIN_GRAFANA_WEBHOOK_SECRET", "QUARKUS_MAILER_USERNAME",
            "QUARKUS_MAILER_PASSWORD");
    private static final Object NO_VALUE = Map.of("Ref", "AWS::NoValue");

    @BeforeAll
    static void load() throws IOException {
        TemplateTableTest.loadTemplate();
    }

    private static Map<String, Object> parameter(String name) {
        return map(map(TemplateTableTest.template.get("Parameters"), "Parameters").get(name), name);
    }

    private static int numberDefault(String parameter) {
        return ((Number) parameter(parameter).get("Default")).intValue();
    }

    @Test
    void everyRouteIsThrottledAndThePublicOnesMoreStrictly() {
        Map<String, Object> api = properties("TocsinHttpApi");
        Map<String, Object> defaults = map(api.get("DefaultRouteSettings"), "DefaultRouteSettings");
        int rate = ((Number) defaults.get("ThrottlingRateLimit")).intValue();
        int burst = ((Number) defaults.get("ThrottlingBurstLimit")).intValue();
        assertTrue(rate > 0 && burst >= rate, "every route has a positive rate and burst: " + defaults);
        Map<String, Object> routes = map(api.get("RouteSettings"), "RouteSettings");
        Set<String> publicRoutes = new TreeSet<>();
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            Object events = properties(function).get("Events");
            if (events == null) {
                continue;
            }
            for (Object event : map(events, function).values()) {
                Map<String, Object> e = map(event, function);
                if ("HttpApi".equals(e.get("Type"))) {
                    Map<String, Object> p = map(e.get("Properties"), function);
                    if (p.get("Auth") != null) {
                        publicRoutes.add(p.get("Method") + " " + p.get("Path"));
                    }
                }
            }
        }
        assertTrue(publicRoutes.contains("POST /pagerduty/webhook"), publicRoutes.toString());
        assertEquals(publicRoutes, new TreeSet<>(routes.keySet()), "every public route has its own, stricter limit");
        for (String route : publicRoutes) {
            Map<String, Object> throttle = map(routes.get(route), route);
            assertEquals(Map.of("Ref", "TokenRouteRateLimit"), throttle.get("ThrottlingRateLimit"), route);
            assertEquals(Map.of("Ref", "TokenRouteBurstLimit"), throttle.get("ThrottlingBurstLimit"), route);
        }
        assertTrue(numberDefault("TokenRouteRateLimit") < rate, "public routes stricter than the default");
        assertTrue(numberDefault("TokenRouteBurstLimit") < burst, "public routes' burst stricter than the default");
    }

    @Test
    void theWebhookFunctionsHaveReservedConcurrencyAndIngestKeepsTheRest() {
        Object expected = Map.of("Fn::If", List.of("ReservesWebhookConcurrency", Map.of("Ref", "WebhookConcurrency"),
                NO_VALUE));
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            Object reserved = properties(function).get("ReservedConcurrentExecutions");
            assertEquals(WEBHOOK_FUNCTIONS.contains(function) ? expected : null, reserved,
                    function + ": reserved concurrency caps the webhook functions only (ingest draws on the rest)");
        }
        assertTrue(numberDefault("WebhookConcurrency") > 0, "reserved by default");
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "WebhookConcurrency"), 0)))),
                map(TemplateTableTest.template.get("Conditions"), "Conditions").get("ReservesWebhookConcurrency"));
    }

    @Test
    void everyFunctionHasALogGroupWithRetention() {
        Map<String, String> logGroupOf = new TreeMap<>();
        for (String group : resourcesOfType(Set.of("AWS::Logs::LogGroup"))) {
            Map<String, Object> p = properties(group);
            assertEquals(Map.of("Ref", "LogRetentionDays"), p.get("RetentionInDays"), group + " expires");
            String name = String.valueOf(map(p.get("LogGroupName"), group).get("Fn::Sub"));
            var implicit = Pattern.compile("/aws/lambda/\\$\\{(\\w+)}").matcher(name);
            if (implicit.matches()) {
                logGroupOf.put(implicit.group(1), group); // the group Lambda would create for the function
            }
        }
        Set<String> names = new HashSet<>();
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            Object logging = properties(function).get("LoggingConfig");
            String group = logging == null ? logGroupOf.get(function)
                    : String.valueOf(map(map(logging, function).get("LogGroup"), function).get("Ref"));
            assertNotNull(group, function + " has no log group of its own");
            assertEquals("AWS::Logs::LogGroup", map(TemplateTableTest.resources.get(group), group).get("Type"), group);
            assertTrue(names.add(group), "two functions log to " + group);
        }
        assertTrue(parameter("LogRetentionDays").get("AllowedValues") instanceof List<?>);
    }

    @Test
    void noSecretValueInAnyEnvironment() {
        List<Map<String, Object>> environments = new ArrayList<>();
        environments.add(map(map(map(map(TemplateTableTest.template.get("Globals"), "Globals").get("Function"), "G")
                .get("Environment"), "G").get("Variables"), "Globals variables"));
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            environments.add(map(map(properties(function).get("Environment"), function).get("Variables"), function));
        }
        for (Map<String, Object> variables : environments) {
            for (var variable : variables.entrySet()) {
                assertFalse(SECRET_VALUE_VARIABLES.contains(variable.getKey()),
                        variable.getKey() + " would hold a secret value; set its *_SECRET_NAME instead");
                assertFalse(String.valueOf(variable.getValue()).contains("{{resolve:"),
                        variable.getKey() + " resolves a value at deploy time: " + variable.getValue());
            }
        }
    }

    /**
     * A function named a secret (a *_SECRET_NAME variable = a template parameter) may read exactly what it names: the
     * Parameter Store parameters of the fields it reads when the parameter is a path ({@code /tocsin/pagerduty} →
     * {@code /tocsin/pagerduty/integration_key}, and not {@code api_key}), the Secrets Manager secret otherwise; the
     * statement's action and resource switch on the same condition, the parameter starting with "/".
     */
    @Test
    @SuppressWarnings("unchecked")
    void eachSecretNameComesWithReadAccessToThatSecretOnly() {
        Map<String, List<String>> fieldsOf = new TreeMap<>();
        for (SecretStore.Ref ref : SecretStore.Ref.values()) {
            fieldsOf.computeIfAbsent(ref.nameVariable(), k -> new ArrayList<>()).add(ref.field());
        }
        Map<String, Object> conditions = map(TemplateTableTest.template.get("Conditions"), "Conditions");
        int seen = 0;
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            Map<String, Object> variables = map(map(properties(function).get("Environment"), function).get("Variables"),
                    function);
            Set<Object> expected = new HashSet<>();
            for (var variable : variables.entrySet()) {
                if (variable.getKey().endsWith("_SECRET_NAME")) {
                    assertTrue(fieldsOf.containsKey(variable.getKey()), "SecretStore reads " + variable.getKey());
                    String parameter = String.valueOf(map(variable.getValue(), variable.getKey()).get("Ref"));
                    Object isPath = Map.of("Fn::Equals", List.of(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split",
                            List.of("/", Map.of("Ref", parameter))))), ""));
                    String condition = conditions.entrySet().stream().filter(c -> c.getValue().equals(isPath))
                            .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(
                                    "no condition says whether " + parameter + " is a Parameter Store path"));
                    List<Object> parameters = new ArrayList<>();
                    for (String field : fieldsOf.get(variable.getKey())) {
                        parameters.add(Map.of("Fn::Sub", "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
                                + ":parameter${" + parameter + "}/" + field));
                    }
                    expected.add(List.of(condition, parameters.size() == 1 ? parameters.get(0) : parameters,
                            Map.of("Fn::Sub", "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                                    + "${AWS::AccountId}:secret:${" + parameter + "}-??????")));
                    seen++;
                }
            }
            Set<Object> granted = new HashSet<>();
            for (Map<String, Object> statement : policyStatements(function)) {
                String action = String.valueOf(statement.get("Action"));
                if (action.contains("secretsmanager:") || action.contains("ssm:")) {
                    List<Object> choice = (List<Object>) map(statement.get("Action"), function).get("Fn::If");
                    assertEquals(List.of("ssm:GetParameter"), strings(choice.get(1)), function);
                    assertEquals(List.of("secretsmanager:GetSecretValue"), strings(choice.get(2)), function);
                    List<Object> resource = (List<Object>) map(statement.get("Resource"), function).get("Fn::If");
                    assertEquals(choice.get(0), resource.get(0), function + ": action and resource on one condition");
                    assertFalse(String.valueOf(resource).contains("*"), function);
                    granted.add(resource);
                }
            }
            assertEquals(expected, granted, function + ": read access to exactly the secrets and fields it is named");
        }
        assertTrue(seen >= 12, "the paging functions, the webhooks and the mailers name their secrets: " + seen);
    }

    @Test
    void ingestTheWebhookAndTheSweepWriteOnlyTheirPartitions() {
        // the partition keys the code writes, each of which some statement must allow
        Map<String, List<String>> keys = Map.of(
                "IngestFunction", List.of(IncidentStore.partitionKey("i-1"), DedupStore.partitionKey("k"),
                        TokenStore.PARTITION, "MAINT", SnapStartPriming.PRIMING_KEY),
                "PagerDutyWebhookFunction", List.of(IncidentStore.partitionKey("i-1"), DedupStore.partitionKey("k"),
                        "WEBHOOK#w-1"),
                "EscalationSweepFunction", List.of(IncidentStore.partitionKey("i-1"), DedupStore.partitionKey("k"),
                        "SWEEP", HeartbeatStore.PARTITION, "MAINT", io.tocsin.metrics.Rollups.PARTITION));
        keys.forEach((function, partitions) -> {
            List<List<String>> allowed = new ArrayList<>();
            for (Map<String, Object> statement : policyStatements(function)) {
                if (!TABLE_ARN.equals(statement.get("Resource"))) {
                    continue;
                }
                Map<String, Object> condition = map(statement.get("Condition"), function + ": " + statement);
                assertEquals(1, condition.size(), function + ": " + condition);
                var entry = condition.entrySet().iterator().next();
                assertTrue(Set.of("ForAllValues:StringLike", "ForAllValues:StringEquals").contains(entry.getKey()),
                        function + ": " + entry.getKey());
                List<String> patterns = strings(map(entry.getValue(), function).get("dynamodb:LeadingKeys"));
                assertFalse(patterns.isEmpty() || patterns.contains("*"), function + ": " + patterns);
                if (entry.getKey().endsWith("StringEquals")) {
                    patterns.forEach(p -> assertFalse(p.contains("*"), function + ": wildcard under StringEquals"));
                }
                allowed.add(patterns);
            }
            for (String partition : partitions) {
                assertTrue(allowed.stream().flatMap(List::stream).anyMatch(p -> Pattern.matches(
                        Pattern.quote(p).replace("*", "\\E.*\\Q"), partition)),
                        function + " must be allowed partition " + partition + " (" + allowed + ")");
            }
            assertFalse(allowed.stream().flatMap(List::stream).anyMatch(p -> Pattern.matches(
                    Pattern.quote(p).replace("*", "\\E.*\\Q"), "SUMMARY")), function + " must not touch SUMMARY");
        });
    }
}
