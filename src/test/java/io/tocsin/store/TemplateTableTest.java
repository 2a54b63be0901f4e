package io.tocsin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import io.tocsin.support.Projects;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * Proves that {@code template.yaml} deploys the table {@link TableSchema#createTableRequest(String)} describes (the
 * local bootstrap and the tests create it from there), and checks the product rules the template must keep: no Scan
 * and no table deletion in any function's permissions, and each function exports the right Funqy function.
 */
class TemplateTableTest {

    static final Set<String> FUNCTION_TYPES = Set.of("AWS::Serverless::Function", "AWS::Lambda::Function");
    private static final Set<String> FORBIDDEN_ACTIONS = Set.of("dynamodb:Scan", "dynamodb:DeleteTable");
    private static final Set<String> INGEST_ACTIONS = Set.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query");

    static Map<String, Object> template;
    static Map<String, Object> resources;

    @BeforeAll
    static void loadTemplate() throws IOException {
        Path file = Projects.root().resolve("template.yaml");
        assertTrue(Files.isRegularFile(file), "template.yaml is missing at " + file);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            template = map(new Yaml(new CloudFormationConstructor()).load(reader), "template");
        }
        resources = map(template.get("Resources"), "Resources");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The table
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void templateDeclaresExactlyOneTableNamedIncidentTable() {
        List<String> tables = resourcesOfType("AWS::DynamoDB::Table");
        assertEquals(List.of("IncidentTable"), tables, "template.yaml must declare the one table, as IncidentTable");
    }

    @Test
    void keySchemaMatches() {
        CreateTableRequest expected = TableSchema.createTableRequest("x");
        assertEquals(keys(expected.keySchema()), templateKeys(table().get("KeySchema"), "IncidentTable.KeySchema"));
    }

    @Test
    void attributeDefinitionsMatch() {
        CreateTableRequest expected = TableSchema.createTableRequest("x");
        Set<String> expectedAttributes = new LinkedHashSet<>();
        for (AttributeDefinition attribute : expected.attributeDefinitions()) {
            expectedAttributes.add(attribute.attributeName() + ":" + attribute.attributeTypeAsString());
        }
        Set<String> actual = new LinkedHashSet<>();
        List<Object> definitions = list(table().get("AttributeDefinitions"), "AttributeDefinitions");
        for (Object definition : definitions) {
            Map<String, Object> d = map(definition, "AttributeDefinitions[]");
            actual.add(string(d.get("AttributeName")) + ":" + string(d.get("AttributeType")));
        }
        assertEquals(definitions.size(), actual.size(), "AttributeDefinitions has duplicates: " + definitions);
        assertEquals(expectedAttributes, actual);
    }

    @Test
    void billingModeMatches() {
        CreateTableRequest expected = TableSchema.createTableRequest("x");
        assertEquals(expected.billingModeAsString(), string(table().get("BillingMode")));
        assertFalse(table().containsKey("ProvisionedThroughput"), "on-demand table must not declare throughput");
    }

    @Test
    void globalSecondaryIndexesMatch() {
        CreateTableRequest expected = TableSchema.createTableRequest("x");
        Map<String, String> expectedIndexes = new LinkedHashMap<>();
        for (GlobalSecondaryIndex index : expected.globalSecondaryIndexes()) {
            expectedIndexes.put(index.indexName(),
                    keys(index.keySchema()) + " projection=" + index.projection().projectionTypeAsString()
                            + " nonKey=" + index.projection().nonKeyAttributes());
        }
        Map<String, String> actualIndexes = new LinkedHashMap<>();
        for (Object item : list(table().get("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes")) {
            Map<String, Object> index = map(item, "GlobalSecondaryIndexes[]");
            String name = string(index.get("IndexName"));
            Map<String, Object> projection = map(index.get("Projection"), name + ".Projection");
            List<String> nonKey = projection.containsKey("NonKeyAttributes")
                    ? list(projection.get("NonKeyAttributes"), name + ".NonKeyAttributes").stream()
                            .map(TemplateTableTest::string).toList()
                    : List.of();
            String previous = actualIndexes.put(name,
                    templateKeys(index.get("KeySchema"), name + ".KeySchema") + " projection="
                            + string(projection.get("ProjectionType")) + " nonKey=" + nonKey);
            assertEquals(null, previous, "index " + name + " is declared twice");
            assertFalse(index.containsKey("ProvisionedThroughput"), name + ": on-demand index must not declare throughput");
        }
        assertEquals(expectedIndexes.keySet(), actualIndexes.keySet(), "index names");
        for (String name : expectedIndexes.keySet()) {
            assertEquals(expectedIndexes.get(name), actualIndexes.get(name), "index " + name);
        }
        boolean expectedLsi = expected.hasLocalSecondaryIndexes() && !expected.localSecondaryIndexes().isEmpty();
        assertEquals(expectedLsi, table().containsKey("LocalSecondaryIndexes"), "local secondary indexes");
    }

    @Test
    void timeToLiveUsesTheSchemaAttribute() {
        Map<String, Object> ttl = map(table().get("TimeToLiveSpecification"), "TimeToLiveSpecification");
        assertEquals(TableSchema.TTL_ATTRIBUTE, string(ttl.get("AttributeName")));
        assertEquals(Boolean.TRUE, ttl.get("Enabled"), "TTL must be enabled (a YAML boolean true)");
    }

    @Test
    void tableIsProtected() {
        Map<String, Object> pitr = map(table().get("PointInTimeRecoverySpecification"), "PointInTimeRecoverySpecification");
        assertEquals(Boolean.TRUE, pitr.get("PointInTimeRecoveryEnabled"));
        Map<String, Object> sse = map(table().get("SSESpecification"), "SSESpecification");
        assertEquals(Boolean.TRUE, sse.get("SSEEnabled"));
        assertEquals("Retain", resource("IncidentTable").get("DeletionPolicy"));
    }

    @Test
    void functionsGetTheTableNameFromTheTable() {
        Map<String, Object> variables = globalVariables();
        assertEquals(Map.of("Ref", "IncidentTable"), variables.get("TOCSIN_TABLE_NAME"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The runtime (docs/architecture.md "Cold start")
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void theDefaultRuntimeIsTheCustomRuntimeInFunctionZipOnX86() {
        Map<String, Object> parameter = map(map(template.get("Parameters"), "Parameters").get("LambdaRuntime"),
                "Parameters.LambdaRuntime");
        assertEquals("provided.al2023", parameter.get("Default"));
        assertEquals(List.of("provided.al2023", "java25", "java21"), parameter.get("AllowedValues"));
        Map<String, Object> function = globalFunction();
        assertEquals(Map.of("Ref", "LambdaRuntime"), function.get("Runtime"));
        assertEquals("target/function.zip", function.get("CodeUri"));
        // the bootstrap hands _HANDLER to the runtime interface client, which the managed runtime uses too
        assertEquals(io.tocsin.aot.AotPackager.HANDLER, function.get("Handler"));
        assertEquals(List.of(io.tocsin.aot.AotPackager.LAMBDA_ARCH), function.get("Architectures"),
                "the JDK linked into function.zip is built for " + io.tocsin.aot.AotPackager.LAMBDA_ARCH);
        for (String name : resourcesOfType(FUNCTION_TYPES)) {
            for (String key : List.of("Runtime", "Architectures", "Handler", "CodeUri")) {
                assertFalse(properties(name).containsKey(key), name + " must not override Globals' " + key);
            }
        }
    }

    @Test
    void jvmOptionsAreInFunctionZipForTheCustomRuntimeAndOpenJavaLangOnTheManagedOnes() {
        Map<String, Object> options = map(globalVariables().get("JAVA_TOOL_OPTIONS"), "JAVA_TOOL_OPTIONS");
        List<Object> choice = list(options.get("Fn::If"), "JAVA_TOOL_OPTIONS Fn::If");
        assertEquals("UseCustomRuntime", choice.get(0));
        assertEquals(Map.of("Ref", "AWS::NoValue"), choice.get(1),
                "provided.al2023 takes its options from aot/jvm.args, the ones its AOT cache was trained with");
        List<Object> managed = list(map(choice.get(2), "managed").get("Fn::If"), "managed Fn::If");
        assertEquals("UseSnapStart", managed.get(0));
        for (Object value : managed.subList(1, 3)) {
            assertTrue(string(value).contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), String.valueOf(value));
            assertFalse(string(value).contains("AOTCache"), "no AOT cache of ours on a managed runtime: " + value);
        }
        assertTrue(string(managed.get(2)).contains("-XX:TieredStopAtLevel=1"));
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "LambdaRuntime"), "provided.al2023")),
                map(template.get("Conditions"), "Conditions").get("UseCustomRuntime"));
    }

    @Test
    void snapStartIsOffByDefaultAndOnlyWithAManagedJavaRuntime() {
        Map<String, Object> parameter = map(map(template.get("Parameters"), "Parameters").get("EnableSnapStart"),
                "Parameters.EnableSnapStart");
        assertEquals("false", parameter.get("Default"));
        Map<String, Object> rule = map(map(template.get("Rules"), "Rules").get("SnapStartNeedsAManagedJavaRuntime"),
                "Rules.SnapStartNeedsAManagedJavaRuntime");
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "EnableSnapStart"), "true")),
                rule.get("RuleCondition"));
        Map<String, Object> assertion = map(list(rule.get("Assertions"), "Assertions").get(0), "Assertions[0]");
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                List.of(Map.of("Ref", "LambdaRuntime"), "provided.al2023")))), assertion.get("Assert"));
        assertEquals(Map.of("ApplyOn", Map.of("Fn::If", List.of("UseSnapStart", "PublishedVersions", "None"))),
                globalFunction().get("SnapStart"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The functions
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void ingestFunctionExportsIngest() {
        Map<String, Object> properties = properties("IngestFunction");
        Map<String, Object> variables = map(map(properties.get("Environment"), "IngestFunction.Environment")
                .get("Variables"), "IngestFunction.Environment.Variables");
        assertEquals("ingest", variables.get("QUARKUS_FUNQY_EXPORT"));
        assertFalse(globalVariables().containsKey("QUARKUS_FUNQY_EXPORT"),
                "QUARKUS_FUNQY_EXPORT must be set per function, never in Globals");
    }

    @Test
    void everyFunctionExportsExactlyOneFunction() {
        for (String name : resourcesOfType(FUNCTION_TYPES)) {
            Object environment = properties(name).get("Environment");
            Object variables = environment == null ? null : map(environment, name + ".Environment").get("Variables");
            Object export = variables == null ? null : map(variables, name + ".Environment.Variables")
                    .get("QUARKUS_FUNQY_EXPORT");
            assertTrue(export instanceof String s && !s.isBlank(), name + " must set QUARKUS_FUNQY_EXPORT");
        }
    }

    @Test
    void noFunctionMayScanOrDeleteTheTable() {
        List<String> functions = resourcesOfType(FUNCTION_TYPES);
        assertFalse(functions.isEmpty(), "no function resources found");
        for (String name : functions) {
            for (Map<String, Object> statement : policyStatements(name)) {
                for (String forbidden : FORBIDDEN_ACTIONS) {
                    assertFalse(allows(statement, forbidden), name + " is allowed " + forbidden + ": " + statement);
                }
            }
        }
        // Roles and policies declared directly in the template count too (a function could be given one).
        for (String name : resourcesOfType(Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"))) {
            for (Map<String, Object> statement : iamResourceStatements(name)) {
                for (String forbidden : FORBIDDEN_ACTIONS) {
                    assertFalse(allows(statement, forbidden), name + " is allowed " + forbidden + ": " + statement);
                }
            }
        }
    }

    @Test
    void ingestFunctionHasOnlyItemAccessToTheTable() {
        List<Map<String, Object>> statements = policyStatements("IngestFunction");
        assertFalse(statements.isEmpty(), "IngestFunction has no policy statements");
        Set<String> granted = new LinkedHashSet<>();
        for (Map<String, Object> statement : statements) {
            assertEquals("Allow", statement.get("Effect"));
            assertFalse(statement.containsKey("NotAction"), "NotAction grants everything else: " + statement);
            if (strings(statement.get("Action")).equals(List.of("sqs:SendMessage"))) {
                // its on-failure destination (failuresReachAPerson), nothing of the table
                assertEquals(Map.of("Fn::GetAtt", List.of("IngestFailureQueue", "Arn")), statement.get("Resource"));
                continue;
            }
            if (strings(statement.get("Action")).contains("secretsmanager:GetSecretValue")) {
                continue; // the integration key's secret (HardeningTemplateTest)
            }
            for (String action : strings(statement.get("Action"))) {
                assertFalse(action.contains("*") || action.contains("?"), "wildcard action " + action);
                granted.add(action);
            }
            Object resource = statement.get("Resource");
            assertTrue(TABLE_ARN.equals(resource) || INDEX_ARNS.equals(resource), "resources of " + statement);
            if (TABLE_ARN.equals(resource)) {
                assertTrue(statement.get("Condition") != null, "every table statement names its partitions: " + statement);
            }
        }
        assertEquals(INGEST_ACTIONS, granted);
    }

    /**
     * Each function resource, the function it exports, and exactly the DynamoDB actions it may call (what its code
     * path calls: {@code incident} only reads its item, {@code incidents} only queries the by-created index).
     */
    private static final Map<String, Map.Entry<String, Set<String>>> FUNCTIONS = Map.ofEntries(
            fn("IngestFunction", "ingest", INGEST_ACTIONS),
            fn("AcknowledgeFunction", "acknowledge", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem")),
            fn("ResolveFunction", "resolve", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem")),
            fn("IncidentFunction", "incident", Set.of("dynamodb:GetItem")),
            fn("IncidentsFunction", "incidents", Set.of("dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem")),
            fn("PagerDutyWebhookFunction", "pagerduty-webhook",
                    Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
            // GetItem/PutItem: the alerts of missed heartbeats go through the ingest pipeline
            fn("EscalationSweepFunction", "escalation-sweep", Set.of("dynamodb:Query", "dynamodb:UpdateItem",
                    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem")),
            fn("AlertmanagerFunction", "alertmanager", INGEST_ACTIONS),
            fn("GrafanaFunction", "grafana", INGEST_ACTIONS),
            // only in the webhook tokens' partition (dynamodb:LeadingKeys = TOKEN): create, list, revoke
            fn("TokensFunction", "tokens", Set.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:GetItem",
                    "dynamodb:DeleteItem")),
            // only in the on-call partition (dynamodb:LeadingKeys = ONCALL): read the document, put and delete entries
            fn("OnCallFunction", "oncall", Set.of("dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
                    "dynamodb:UpdateItem")),
            // read only, in the on-call partitions (ONCALL, ONCALL_FEED): one feed item, the document
            fn("OnCallFeedFunction", "oncall-feed", Set.of("dynamodb:GetItem", "dynamodb:Query")),
            fn("RulesFunction", "rules", Set.of()),
            fn("EvaluateFunction", "evaluate", INGEST_ACTIONS),
            // DeleteItem only on the maintenance windows' partition (dynamodb:LeadingKeys = MAINT)
            fn("MaintenanceFunction", "maintenance",
                    Set.of("dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem")),
            // GetItem: the metrics rollups' state, read only (dynamodb:LeadingKeys = ROLLUP)
            fn("MetricsFunction", "metrics", Set.of("dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem")),
            fn("DashboardFunction", "dashboard", Set.of("dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem")),
            // heartbeat items only (dynamodb:LeadingKeys = HEARTBEAT), and the incidents of late ones (INC#*)
            fn("HeartbeatFunction", "heartbeat", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                    "dynamodb:DeleteItem", "dynamodb:UpdateItem")),
            // GetItem/UpdateItem only on the summary ledger's partition (dynamodb:LeadingKeys = SUMMARY)
            fn("DailySummaryFunction", "daily-summary", Set.of("dynamodb:Query", "dynamodb:GetItem",
                    "dynamodb:UpdateItem", "dynamodb:BatchGetItem")));

    /** The functions that may delete items, and the partitions each may delete in. */
    private static final Map<String, List<String>> DELETE_PARTITIONS = Map.of("MaintenanceFunction", List.of("MAINT"),
            "HeartbeatFunction", List.of("HEARTBEAT"), "OnCallFunction", List.of(
                    io.tocsin.oncall.store.OnCallItems.PARTITION, io.tocsin.oncall.feed.FeedStore.PARTITION));

    /** The on-call functions' partitions: the document and the feed URLs' hashed secrets. */
    private static final List<String> ONCALL_PARTITIONS = List.of(io.tocsin.oncall.store.OnCallItems.PARTITION,
            io.tocsin.oncall.feed.FeedStore.PARTITION);

    /** Every HTTP API route ("METHOD path") and the function (export) serving it; nothing else is routed. */
    private static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("POST /ingest", "ingest"),
            Map.entry("GET /incidents/{incident_id}", "incident"),
            Map.entry("GET /incidents", "incidents"),
            Map.entry("POST /incidents/{incident_id}/acknowledge", "acknowledge"),
            Map.entry("POST /incidents/{incident_id}/resolve", "resolve"),
            Map.entry("POST /pagerduty/webhook", "pagerduty-webhook"),
            Map.entry("POST /alertmanager", "alertmanager"),
            Map.entry("POST /hooks/alertmanager", "alertmanager"),
            Map.entry("POST /hooks/grafana", "grafana"),
            Map.entry("POST /hooks/ingest", "ingest"),
            Map.entry("POST /tokens", "tokens"),
            Map.entry("GET /tokens", "tokens"),
            Map.entry("DELETE /tokens/{id}", "tokens"),
            Map.entry("POST /oncall/apply", "oncall"),
            Map.entry("GET /oncall/{action}", "oncall"),
            Map.entry("POST /oncall/feed_create", "oncall"),
            Map.entry("POST /oncall/feed_revoke", "oncall"),
            Map.entry("POST /oncall/import", "oncall"),
            Map.entry("GET /oncall/feed/{file}", "oncall-feed"),
            Map.entry("GET /rules", "rules"),
            Map.entry("POST /evaluate", "evaluate"),
            Map.entry("POST /maintenance", "maintenance"),
            Map.entry("GET /maintenance", "maintenance"),
            Map.entry("DELETE /maintenance/{id}", "maintenance"),
            Map.entry("GET /metrics", "metrics"),
            Map.entry("GET /dashboard", "dashboard"),
            Map.entry("POST /heartbeats/{name}/ping", "heartbeat"),
            Map.entry("PUT /heartbeats/{name}", "heartbeat"),
            Map.entry("GET /heartbeats", "heartbeat"),
            Map.entry("DELETE /heartbeats/{name}", "heartbeat"));

    /** A route without SigV4: PagerDuty cannot sign, so the function checks X-PagerDuty-Signature itself. */
    private static final String PUBLIC_ROUTE = "POST /pagerduty/webhook";
    /** A route without SigV4: calendar apps cannot sign, so the feed's secret is in its URL (checked by the function). */
    private static final String FEED_ROUTE = "GET /oncall/feed/{file}";

    /**
     * The other routes without SigV4: the token routes, whose functions check a webhook token (TokenGate) before
     * reading anything. Exactly the routes io.tocsin.token.TokenRoute declares, each served by its function.
     */
    private static final Map<String, String> TOKEN_ROUTES = java.util.Arrays.stream(
            io.tocsin.token.TokenRoute.values()).collect(java.util.stream.Collectors.toMap(
                    io.tocsin.token.TokenRoute::routeKey, io.tocsin.token.TokenRoute::wire));

    /** The functions that send PagerDuty Events API v2 events, and so need PAGERDUTY_ENABLED and the integration key. */
    private static final Set<String> PAGING_FUNCTIONS = Set.of("IngestFunction", "AcknowledgeFunction",
            "ResolveFunction", "AlertmanagerFunction", "GrafanaFunction", "EvaluateFunction", "EscalationSweepFunction",
            "HeartbeatFunction");

    /**
     * The DynamoDB actions a statement is checked against besides the literal ones it names, so that a wildcard
     * ({@code *}, {@code dynamodb:*}, {@code dynamodb:Delete*}) or a NotAction is counted as what it grants.
     */
    private static final List<String> DYNAMODB_ACTIONS = List.of("GetItem", "BatchGetItem", "Query", "Scan",
            "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
            "ConditionCheckItem", "PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete", "DeleteTable",
            "UpdateTable", "CreateTable", "RestoreTableFromBackup", "ImportTable", "ExportTableToPointInTime")
            .stream().map(a -> "dynamodb:" + a).toList();

    static final Object TABLE_ARN = Map.of("Fn::GetAtt", List.of("IncidentTable", "Arn"));
    /** The admin functions' audit records (io.tocsin.audit.AuditLog): written and completed, in their partition only. */
    static final Map<String, Object> AUDIT_STATEMENT = Map.of("Sid", "AuditRecords", "Effect", "Allow",
            "Action", List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"), "Resource", TABLE_ARN,
            "Condition", Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys",
                    List.of(io.tocsin.audit.AuditLog.PARTITION))));
    static final Object INDEX_ARNS = Map.of("Fn::Sub", "${IncidentTable.Arn}/index/*");

    private static Map.Entry<String, Map.Entry<String, Set<String>>> fn(String resource, String export,
            Set<String> actions) {
        return Map.entry(resource, Map.entry(export, actions));
    }

    @Test
    void everyFunctionOfTheJarIsDeployedOnce() throws IOException {
        assertEquals(new java.util.TreeSet<>(FUNCTIONS.keySet()), new java.util.TreeSet<>(resourcesOfType(FUNCTION_TYPES)));
        Set<String> exports = new java.util.HashSet<>();
        FUNCTIONS.forEach((name, expected) -> {
            assertEquals("AWS::Serverless::Function", resource(name).get("Type"), name);
            assertFalse(properties(name).containsKey("CodeUri"), name + " must take Globals' CodeUri (the one jar)");
            assertEquals(expected.getKey(), variables(name).get("QUARKUS_FUNQY_EXPORT"), name);
            assertTrue(exports.add(expected.getKey()), "exported twice: " + expected.getKey());
        });
        Map<String, Object> globals = map(map(template.get("Globals"), "Globals").get("Function"), "Globals.Function");
        assertEquals("target/function.zip", globals.get("CodeUri"));
        // ... and exactly the functions the jar declares (@Funq names), so a typo in an export cannot deploy.
        assertEquals(new java.util.TreeSet<>(funqNames()), new java.util.TreeSet<>(exports),
                "the @Funq functions of src/main/java and the QUARKUS_FUNQY_EXPORT values of template.yaml");
    }

    @Test
    void everyFunctionHasExactlyItsTableActionsOnTheTableOnly() {
        FUNCTIONS.forEach((name, expected) -> {
            Set<String> granted = new java.util.TreeSet<>();
            for (Map<String, Object> statement : policyStatements(name)) {
                assertFalse(statement.containsKey("NotAction"), name + ": NotAction grants everything else: " + statement);
                assertFalse(statement.containsKey("NotResource"), name + ": NotResource: " + statement);
                Set<String> here = new java.util.TreeSet<>();
                for (String action : strings(statement.get("Action"))) {
                    if (action.toLowerCase(Locale.ROOT).startsWith("dynamodb:")) {
                        here.add(action);
                    }
                }
                DYNAMODB_ACTIONS.stream().filter(a -> allows(statement, a)).forEach(here::add);
                if (here.isEmpty()) {
                    continue;
                }
                granted.addAll(here);
                Object resource = statement.get("Resource");
                List<Object> targets = resource instanceof List<?> ? list(resource, "Resource") : List.of(resource);
                for (Object target : targets) {
                    assertTrue(TABLE_ARN.equals(target) || INDEX_ARNS.equals(target),
                            name + ": DynamoDB only on IncidentTable and its indexes, not " + target);
                }
                if (here.contains("dynamodb:DeleteItem") && !statement.equals(AUDIT_STATEMENT)) {
                    assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys",
                            DELETE_PARTITIONS.get(name))), statement.get("Condition"),
                            name + ": DeleteItem only in its own partition");
                }
            }
            assertEquals(new java.util.TreeSet<>(expected.getValue()), granted, name + "'s DynamoDB actions");
        });
    }

    @Test
    void everyRouteIsOnTheHttpApiAndServedByItsFunction() {
        Map<String, Object> api = properties("TocsinHttpApi");
        assertFalse(api.containsKey("DefinitionBody") || api.containsKey("DefinitionUri"),
                "routes are declared as function events only (an OpenAPI body could add unchecked ones)");
        Map<String, String> routes = new java.util.TreeMap<>();
        for (String name : resourcesOfType(FUNCTION_TYPES)) {
            Object export = variables(name).get("QUARKUS_FUNQY_EXPORT");
            for (Map<String, Object> route : httpRoutes(name)) {
                assertEquals(Map.of("Ref", "TocsinHttpApi"), route.get("ApiId"), name + ": routes go on TocsinHttpApi");
                assertEquals("2.0", route.get("PayloadFormatVersion"), name);
                String key = string(route.get("Method")) + " " + string(route.get("Path"));
                assertEquals(null, routes.put(key, string(export)), "route declared twice: " + key);
            }
        }
        assertEquals(new java.util.TreeMap<>(ROUTES), routes, "routes and the function each one invokes");
    }

    @Test
    void everyRouteIsIamAuthorisedButThePagerDutyWebhookAndTheTokenRoutes() {
        Map<String, Object> auth = map(properties("TocsinHttpApi").get("Auth"), "TocsinHttpApi.Auth");
        assertEquals("AWS_IAM", auth.get("DefaultAuthorizer"));
        assertEquals(Boolean.TRUE, auth.get("EnableIamAuthorizer"));
        Set<String> publicRoutes = new java.util.TreeSet<>();
        for (String name : resourcesOfType(FUNCTION_TYPES)) {
            for (Map<String, Object> route : httpRoutes(name)) {
                String key = route.get("Method") + " " + route.get("Path");
                Object routeAuth = route.get("Auth");
                if (key.equals(PUBLIC_ROUTE)) {
                    assertEquals(Map.of("Authorizer", "NONE"), routeAuth,
                            "PagerDuty cannot sign with SigV4: the webhook route is public and signature-checked");
                    assertEquals("pagerduty-webhook", variables(name).get("QUARKUS_FUNQY_EXPORT"));
                    publicRoutes.add(key);
                } else if (key.equals(FEED_ROUTE)) {
                    assertEquals(Map.of("Authorizer", "NONE"), routeAuth, key + ": no SigV4; the URL holds the secret");
                    assertEquals("oncall-feed", variables(name).get("QUARKUS_FUNQY_EXPORT"));
                    publicRoutes.add(key);
                } else if (TOKEN_ROUTES.containsKey(key)) {
                    assertEquals(Map.of("Authorizer", "NONE"), routeAuth,
                            key + ": no SigV4; the function checks the webhook token");
                    assertEquals(TOKEN_ROUTES.get(key), variables(name).get("QUARKUS_FUNQY_EXPORT"),
                            key + " must be served by the function that checks tokens for it");
                    publicRoutes.add(key);
                } else {
                    assertEquals(null, routeAuth, key + " (" + name + ") must inherit the API's AWS_IAM authorizer");
                    assertFalse(key.contains(io.tocsin.token.TokenRoute.PATH_PREFIX),
                            key + ": a path under /hooks/ is refused without a token, so it must be a TokenRoute");
                }
            }
        }
        Set<String> expected = new java.util.TreeSet<>(TOKEN_ROUTES.keySet());
        expected.add(PUBLIC_ROUTE);
        expected.add(FEED_ROUTE);
        assertEquals(expected, publicRoutes,
                "the public routes: the PagerDuty webhook, the token routes and the on-call iCal feeds");
    }

    @Test
    void everyTokenRouteIsThrottled() {
        Map<String, Object> settings = map(properties("TocsinHttpApi").get("RouteSettings"), "TocsinHttpApi.RouteSettings");
        Set<String> publicRoutes = new java.util.TreeSet<>(TOKEN_ROUTES.keySet());
        publicRoutes.add(PUBLIC_ROUTE);
        publicRoutes.add(FEED_ROUTE);
        assertEquals(publicRoutes, new java.util.TreeSet<>(settings.keySet()),
                "RouteSettings throttles exactly the public routes: the token routes and the PagerDuty webhook");
        Map<String, Object> parameters = map(template.get("Parameters"), "Parameters");
        for (String route : publicRoutes) {
            Map<String, Object> throttle = map(settings.get(route), route);
            assertEquals(Map.of("Ref", "TokenRouteRateLimit"), throttle.get("ThrottlingRateLimit"), route);
            assertEquals(Map.of("Ref", "TokenRouteBurstLimit"), throttle.get("ThrottlingBurstLimit"), route);
        }
        for (String parameter : List.of("TokenRouteRateLimit", "TokenRouteBurstLimit")) {
            Map<String, Object> p = map(parameters.get(parameter), parameter);
            assertEquals("Number", p.get("Type"), parameter);
            assertTrue(((Number) p.get("Default")).intValue() > 0 && ((Number) p.get("MinValue")).intValue() >= 1,
                    parameter + " must have a positive default and no way to switch throttling off");
        }
    }

    @Test
    void theTokensFunctionIsIamOnlyAndWritesOnlyTokens() {
        for (Map<String, Object> route : httpRoutes("TokensFunction")) {
            assertEquals(null, route.get("Auth"), "the admin function's routes keep the API's AWS_IAM authorizer");
        }
        List<Map<String, Object>> statements = policyStatements("TokensFunction");
        assertFalse(statements.isEmpty());
        for (Map<String, Object> statement : statements) {
            if (statement.equals(AUDIT_STATEMENT)) {
                continue; // its audit records (SecurityTemplateTest)
            }
            assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys",
                    List.of(io.tocsin.token.TokenStore.PARTITION))), statement.get("Condition"),
                    "the tokens function may touch only the token partition: " + statement);
            assertEquals(TABLE_ARN, statement.get("Resource"), "no index access: " + statement);
        }
    }

    @Test
    void theOnCallFunctionIsIamOnlyAndTouchesOnlyTheOnCallPartition() {
        List<Map<String, Object>> routes = httpRoutes("OnCallFunction");
        assertEquals(5, routes.size());
        for (Map<String, Object> route : routes) {
            assertEquals(null, route.get("Auth"), "the admin function's routes keep the API's AWS_IAM authorizer");
        }
        List<Map<String, Object>> statements = policyStatements("OnCallFunction");
        assertFalse(statements.isEmpty());
        for (Map<String, Object> statement : statements) {
            if (statement.equals(AUDIT_STATEMENT)) {
                continue; // its audit records (SecurityTemplateTest)
            }
            assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", ONCALL_PARTITIONS)),
                    statement.get("Condition"), "the oncall function may touch only the on-call partitions: " + statement);
            assertEquals(TABLE_ARN, statement.get("Resource"), "no index access: " + statement);
        }
    }

    @Test
    void theWebhookUrlsAreOutputs() {
        Map<String, Object> outputs = map(template.get("Outputs"), "Outputs");
        for (var output : Map.of("AlertmanagerWebhookUrl", io.tocsin.token.TokenRoute.ALERTMANAGER,
                "GrafanaWebhookUrl", io.tocsin.token.TokenRoute.GRAFANA,
                "IngestWebhookUrl", io.tocsin.token.TokenRoute.INGEST).entrySet()) {
            assertEquals(Map.of("Fn::Sub", "https://${TocsinHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
                    + output.getValue().path()), map(outputs.get(output.getKey()), output.getKey()).get("Value"));
        }
    }

    @Test
    void pagerDutySecretsGoOnlyToTheFunctionsThatUseThem() {
        for (String variable : List.of("PAGERDUTY_ENABLED", "PAGERDUTY_INTEGRATION_KEY", "PAGERDUTY_API_KEY",
                "PAGERDUTY_WEBHOOK_SECRET", "PAGERDUTY_INTEGRATION_KEY_SECRET_NAME", "PAGERDUTY_API_KEY_SECRET_NAME",
                "PAGERDUTY_WEBHOOK_SECRET_NAME")) {
            assertFalse(globalVariables().containsKey(variable), variable + " must not be in Globals (every function)");
        }
        Object integrationKey = secret("HasPagerDutyKey", "PagerDutyIntegrationKeyParameter", "integration_key");
        for (String name : resourcesOfType(FUNCTION_TYPES)) {
            Map<String, Object> variables = variables(name);
            boolean pages = PAGING_FUNCTIONS.contains(name);
            // PAGERDUTY_ENABLED=true without a key stops start-up, so the two go together.
            assertEquals(pages, variables.containsKey("PAGERDUTY_ENABLED"), name + ": PAGERDUTY_ENABLED");
            assertEquals(pages ? integrationKey : null, variables.get("PAGERDUTY_INTEGRATION_KEY_SECRET_NAME"),
                    name + ": only the functions that send PagerDuty events get the integration key");
            if (pages) {
                assertEquals(Map.of("Ref", "PagerDutyEnabled"), variables.get("PAGERDUTY_ENABLED"), name);
            }
            assertEquals(name.equals("EscalationSweepFunction")
                    ? secret("HasPagerDutyApiKey", "PagerDutyApiKeySecret", "api_key") : null,
                    variables.get("PAGERDUTY_API_KEY_SECRET_NAME"), name + ": only the sweep escalates through the REST API");
            assertEquals(name.equals("PagerDutyWebhookFunction")
                    ? secret("HasWebhookSecret", "PagerDutyWebhookSecretName", "webhook_secret") : null,
                    variables.get("PAGERDUTY_WEBHOOK_SECRET_NAME"), name + ": only the webhook gets the webhook secret");
            assertEquals(name.equals("GrafanaFunction")
                    ? secret("HasGrafanaWebhookSecret", "GrafanaWebhookSecretName", "webhook_secret") : null,
                    variables.get("TOCSIN_GRAFANA_WEBHOOK_SECRET_NAME"), name + ": only grafana gets Grafana's HMAC secret");
        }
        Map<String, Object> parameter = map(map(template.get("Parameters"), "Parameters")
                .get("PagerDutyWebhookSecretName"), "PagerDutyWebhookSecretName");
        assertEquals("String", parameter.get("Type"));
        assertEquals("", parameter.get("Default"), "no secret by default: the webhook answers 401 to everything");
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "PagerDutyWebhookSecretName"), "")))),
                map(template.get("Conditions"), "Conditions").get("HasWebhookSecret"));
    }

    @Test
    void theWebhookUrlIsAnOutput() {
        Map<String, Object> output = map(map(template.get("Outputs"), "Outputs").get("PagerDutyWebhookUrl"),
                "Outputs.PagerDutyWebhookUrl");
        assertEquals(Map.of("Fn::Sub",
                "https://${TocsinHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/pagerduty/webhook"),
                output.get("Value"));
    }

    /** {@code !Ref parameter}: the secret's name; the function reads the value at run time (io.tocsin.config.SecretStore). */
    private static Object secret(String condition, String parameter, String field) {
        return Map.of("Ref", parameter);
    }

    private static Map<String, Object> variables(String function) {
        Object environment = properties(function).get("Environment");
        return map(map(environment, function + ".Environment").get("Variables"), function + ".Environment.Variables");
    }

    private static List<Map<String, Object>> httpRoutes(String function) {
        Object events = properties(function).get("Events");
        if (events == null) {
            return List.of();
        }
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Map.Entry<String, Object> entry : map(events, function + ".Events").entrySet()) {
            Map<String, Object> event = map(entry.getValue(), function + ".Events." + entry.getKey());
            if ("HttpApi".equals(event.get("Type"))) {
                routes.add(map(event.get("Properties"), function + ".Events." + entry.getKey() + ".Properties"));
            }
        }
        return routes;
    }

    /** The names of the {@code @Funq} methods in src/main/java, each named explicitly. */
    private static Set<String> funqNames() throws IOException {
        Pattern named = Pattern.compile("@Funq\\(\\s*\"([^\"]+)\"\\s*\\)");
        Pattern any = Pattern.compile("@Funq\\b");
        Set<String> names = new java.util.HashSet<>();
        try (var files = Files.walk(Projects.root().resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                long all = any.matcher(source).results().count();
                List<String> found = named.matcher(source).results().map(m -> m.group(1)).toList();
                assertEquals(all, found.size(), file + ": name every @Funq function explicitly");
                for (String name : found) {
                    assertTrue(names.add(name), "@Funq(\"" + name + "\") is declared twice");
                }
            }
        }
        return names;
    }

    @Test
    void theSweepRunsEveryMinuteAndKeepsItsFailures() {
        Map<String, Object> properties = properties("EscalationSweepFunction");
        Map<String, Object> schedule = map(map(properties.get("Events"), "Events").get("EveryMinute"), "EveryMinute");
        assertEquals("rate(1 minute)", map(schedule.get("Properties"), "schedule").get("ScheduleExpression"));
        Map<String, Object> onFailure = map(map(map(properties.get("EventInvokeConfig"), "EventInvokeConfig")
                .get("DestinationConfig"), "DestinationConfig").get("OnFailure"), "OnFailure");
        assertEquals("SQS", onFailure.get("Type"));
        assertEquals("AWS::SQS::Queue", resource("SweepFailureQueue").get("Type"));
    }

    /** Every asynchronously invoked function keeps what failed, and every alarm about Tocsin itself tells someone. */
    @Test
    void failuresReachAPerson() {
        for (String function : List.of("IngestFunction", "EscalationSweepFunction", "DailySummaryFunction")) {
            Map<String, Object> onFailure = map(map(map(properties(function).get("EventInvokeConfig"),
                    function + ".EventInvokeConfig").get("DestinationConfig"), "DestinationConfig").get("OnFailure"),
                    "OnFailure");
            assertEquals("SQS", onFailure.get("Type"), function);
            String queue = (String) ((List<?>) map(onFailure.get("Destination"), "Destination").get("Fn::GetAtt"))
                    .get(0);
            assertEquals("AWS::SQS::Queue", resource(queue).get("Type"), function + " → " + queue);
            String alarm = resourcesOfType("AWS::CloudWatch::Alarm").stream()
                    .filter(a -> String.valueOf(properties(a).get("Dimensions")).contains(queue)).findFirst()
                    .orElseThrow(() -> new AssertionError("no alarm on the depth of " + queue));
            assertEquals(List.of(Map.of("Ref", "OpsAlarmTopic")), properties(alarm).get("AlarmActions"), alarm);
        }
        Map<String, Object> deliveryFailures = properties("DeliveryFailureAlarm");
        assertEquals(io.tocsin.emf.Emf.NAMESPACE, deliveryFailures.get("Namespace"));
        assertEquals(io.tocsin.emf.Emf.Metric.DELIVERY_FAILURES.metricName(), deliveryFailures.get("MetricName"));
        assertEquals(List.of(Map.of("Ref", "OpsAlarmTopic")), deliveryFailures.get("AlarmActions"));
        assertEquals("AWS::SNS::Topic", resource("OpsAlarmTopic").get("Type"));
        assertEquals("HasOpsAlarmEmail", resource("OpsAlarmSubscription").get("Condition"));
        assertEquals(Map.of("Ref", "OpsAlarmEmail"), properties("OpsAlarmSubscription").get("Endpoint"));
    }

    @Test
    void theDailySummaryRunsAtTheSummaryTimeInItsZoneAndWritesOnlyItsOwnRecord() throws IOException {
        Map<String, Object> properties = properties("DailySummaryFunction");
        Map<String, Object> schedule = map(map(map(properties.get("Events"), "Events").get("Daily"), "Daily")
                .get("Properties"), "Daily.Properties");
        assertEquals("ScheduleV2", map(map(properties.get("Events"), "Events").get("Daily"), "Daily").get("Type"));
        // Every time the parameter accepts gives the cron expression of that time, with the fields as plain numbers.
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(string(map(map(template.get("Parameters"),
                "Parameters").get("AlertSummaryEmailTime"), "AlertSummaryEmailTime").get("AllowedPattern")));
        for (int hour = 0; hour < 24; hour++) {
            for (int minute = 0; minute < 60; minute++) {
                String hhmm = String.format("%02d:%02d", hour, minute);
                assertTrue(allowed.matcher(hhmm).matches(), hhmm + " is refused by AlertSummaryEmailTime");
                assertEquals("cron(" + minute + " " + hour + " * * ? *)",
                        evaluate(schedule.get("ScheduleExpression"), Map.of("AlertSummaryEmailTime", hhmm)), hhmm);
            }
        }
        for (String bad : List.of("24:00", "8:00", "08:60", "0800", "08:00 ")) {
            assertTrue(!allowed.matcher(bad).matches(), bad + " is accepted by AlertSummaryEmailTime");
        }
        assertEquals(Map.of("Ref", "AlertSummaryTimeZone"), schedule.get("ScheduleExpressionTimezone"));
        assertEquals(Map.of("Ref", "AlertSummaryTimeZone"), variables("DailySummaryFunction").get("TOCSIN_SUMMARY_ZONE"));
        assertEquals(Map.of("Fn::If", List.of("SummaryEnabled", "ENABLED", "DISABLED")), schedule.get("State"));
        // a day whose retries all failed is kept and alarmed on, like a failed sweep
        Map<String, Object> invoke = map(properties.get("EventInvokeConfig"), "EventInvokeConfig");
        Map<String, Object> onFailure = map(map(invoke.get("DestinationConfig"), "DestinationConfig")
                .get("OnFailure"), "OnFailure");
        assertEquals("SQS", onFailure.get("Type"));
        assertEquals(Map.of("Fn::GetAtt", List.of("SummaryFailureQueue", "Arn")), onFailure.get("Destination"));
        assertEquals("AWS::SQS::Queue", resource("SummaryFailureQueue").get("Type"));
        assertEquals(List.of(Map.of("Name", "QueueName", "Value",
                Map.of("Fn::GetAtt", List.of("SummaryFailureQueue", "QueueName")))),
                properties("SummaryFailureAlarm").get("Dimensions"));
        // what the schedule sends is the sample the events test runs
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Projects.root()
                .resolve("events/daily-summary/scheduled-event.json").toFile()),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(string(schedule.get("Input"))));
        assertTrue(httpRoutes("DailySummaryFunction").isEmpty(), "the summary is not on the API");
        for (Map<String, Object> statement : policyStatements("DailySummaryFunction")) {
            if (strings(statement.get("Action")).stream()
                    .anyMatch(a -> a.startsWith("dynamodb:") && !a.equals("dynamodb:Query"))
                    && !"MetricsRollups".equals(statement.get("Sid")) && !"DedupClaimCounts".equals(statement.get("Sid"))) {
                assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of("SUMMARY"))),
                        statement.get("Condition"), "item access only in the summary ledger's partition");
            }
        }
    }

    @Test
    void theReadersOfTheMetricsRollupsOnlyReadTheirPartition() {
        for (String function : List.of("MetricsFunction", "DashboardFunction", "DailySummaryFunction")) {
            List<Map<String, Object>> rollups = policyStatements(function).stream()
                    .filter(st -> "MetricsRollups".equals(st.get("Sid"))).toList();
            assertEquals(1, rollups.size(), function);
            assertEquals(List.of("dynamodb:GetItem", "dynamodb:Query"), strings(rollups.get(0).get("Action")), function);
            assertEquals(TABLE_ARN, rollups.get(0).get("Resource"), function);
            assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of("ROLLUP"))),
                    rollups.get(0).get("Condition"), function + ": the ROLLUP partition only");
            for (Map<String, Object> statement : policyStatements(function)) {
                if (TABLE_ARN.equals(statement.get("Resource")) && strings(statement.get("Action")).contains(
                        "dynamodb:GetItem") && !"SummaryLedger".equals(statement.get("Sid"))) {
                    if ("DedupClaimCounts".equals(statement.get("Sid"))) {
                        assertEquals(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                                List.of("DEDUP#*"))), statement.get("Condition"), function + ": claims, read only");
                        assertEquals(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem"),
                                strings(statement.get("Action")), function);
                        continue;
                    }
                    assertEquals(rollups.get(0), statement, function + ": GetItem only on the rollups");
                }
            }
        }
    }

    @Test
    void theHeartbeatFunctionWritesOnlyHeartbeatsAndTheIncidentsOfLateOnes() {
        for (Map<String, Object> statement : policyStatements("HeartbeatFunction")) {
            Object condition = statement.get("Condition");
            if (strings(statement.get("Action")).contains("secretsmanager:GetSecretValue")) {
                continue; // the integration key's secret (HardeningTemplateTest)
            }
            if (strings(statement.get("Action")).contains("dynamodb:DeleteItem")) {
                assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of("HEARTBEAT"))),
                        condition);
            } else {
                assertEquals(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys",
                        List.of("INC#*", "DEDUP#*"))), condition,
                        "resolving the incident of a late heartbeat and closing its claim, nothing else: " + statement);
                assertEquals(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), strings(statement.get("Action")));
            }
        }
        Map<String, Object> dashboard = policyStatements("DashboardFunction").stream()
                .filter(st -> TABLE_ARN.equals(st.get("Resource"))).findFirst().orElseThrow();
        assertEquals(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of("HEARTBEAT"))),
                dashboard.get("Condition"), "the dashboard reads the heartbeats' partition only");
    }

    @Test
    void ingestIsPostOnAnIamAuthorisedHttpApi() {
        Map<String, Object> events = map(properties("IngestFunction").get("Events"), "IngestFunction.Events");
        List<Map<String, Object>> httpEvents = events.values().stream().map(e -> map(e, "event"))
                .filter(e -> "HttpApi".equals(e.get("Type")))
                .filter(e -> !io.tocsin.token.TokenRoute.INGEST.path().equals(
                        map(e.get("Properties"), "HttpApi event Properties").get("Path")))
                .toList();
        assertEquals(1, httpEvents.size(), "one IAM HttpApi event besides the token route");
        Map<String, Object> event = map(httpEvents.get(0).get("Properties"), "HttpApi event Properties");
        assertEquals("POST", event.get("Method"));
        assertEquals("/ingest", event.get("Path"));
        Object apiId = event.get("ApiId");
        assertTrue(apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String, "ApiId must !Ref the HttpApi");
        String api = (String) ((Map<?, ?>) apiId).get("Ref");
        assertEquals("AWS::Serverless::HttpApi", resource(api).get("Type"));
        Map<String, Object> auth = map(properties(api).get("Auth"), api + ".Auth");
        assertEquals("AWS_IAM", auth.get("DefaultAuthorizer"));
        assertEquals(Boolean.TRUE, auth.get("EnableIamAuthorizer"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    private static Map<String, Object> table() {
        return properties("IncidentTable");
    }

    private static Map<String, Object> resource(String name) {
        Object resource = resources.get(name);
        assertNotNull(resource, "template.yaml has no resource " + name);
        return map(resource, name);
    }

    static Map<String, Object> properties(String name) {
        return map(resource(name).get("Properties"), name + ".Properties");
    }

    private static List<String> resourcesOfType(String type) {
        return resourcesOfType(Set.of(type));
    }

    static List<String> resourcesOfType(Set<String> types) {
        return resources.entrySet().stream()
                .filter(e -> types.contains(map(e.getValue(), e.getKey()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    private static Map<String, Object> globalFunction() {
        return map(map(template.get("Globals"), "Globals").get("Function"), "Globals.Function");
    }

    private static Map<String, Object> globalVariables() {
        Map<String, Object> globals = map(template.get("Globals"), "Globals");
        Map<String, Object> function = map(globals.get("Function"), "Globals.Function");
        return map(map(function.get("Environment"), "Globals.Function.Environment").get("Variables"),
                "Globals.Function.Environment.Variables");
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
    }

    private static List<String> templateKeys(Object schema, String where) {
        return list(schema, where).stream().map(k -> map(k, where + "[]"))
                .map(k -> string(k.get("AttributeName")) + ":" + string(k.get("KeyType"))).toList();
    }

    /**
     * The statements a function's permissions are made of. Only explicit statements are accepted: a SAM policy
     * template or a managed policy cannot be checked here, and the DynamoDB ones (DynamoDBCrudPolicy,
     * DynamoDBReadPolicy, AmazonDynamoDBFullAccess, ...) grant Scan, so any of those naming DynamoDB fails.
     */
    /**
     * Evaluates the intrinsic functions a schedule expression uses (Ref of a parameter, Fn::Select, Fn::Split,
     * Fn::Join, Fn::Sub with a variable map) for the given parameter values, as CloudFormation would.
     */
    @SuppressWarnings("unchecked")
    private static Object evaluate(Object node, Map<String, String> parameters) {
        if (node instanceof String text) {
            return text;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> evaluate(item, parameters)).toList();
        }
        Map<String, Object> function = map(node, "intrinsic function");
        assertEquals(1, function.size(), "one intrinsic function: " + function);
        var entry = function.entrySet().iterator().next();
        List<Object> args = entry.getValue() instanceof List<?> l ? (List<Object>) l : List.of(entry.getValue());
        switch (entry.getKey()) {
            case "Ref":
                return java.util.Objects.requireNonNull(parameters.get(string(args.get(0))), "no value for " + args);
            case "Fn::Select":
                return ((List<Object>) evaluate(args.get(1), parameters)).get(((Number) args.get(0)).intValue());
            case "Fn::Split":
                return List.of(string(evaluate(args.get(1), parameters)).split(
                        java.util.regex.Pattern.quote(string(args.get(0))), -1));
            case "Fn::Join":
                return String.join(string(args.get(0)), ((List<Object>) evaluate(args.get(1), parameters)).stream()
                        .map(o -> string(evaluate(o, parameters))).toList());
            case "Fn::Sub":
                String text = string(args.get(0));
                Map<String, Object> variables = args.size() > 1 ? map(args.get(1), "Fn::Sub variables") : Map.of();
                for (var variable : variables.entrySet()) {
                    text = text.replace("${" + variable.getKey() + "}", string(evaluate(variable.getValue(), parameters)));
                }
                assertTrue(!text.contains("${"), "unresolved variable in " + text);
                return text;
            default:
                throw new AssertionError("not evaluated here: " + entry.getKey());
        }
    }

    static List<Map<String, Object>> policyStatements(String function) {
        Map<String, Object> properties = properties(function);
        List<Map<String, Object>> statements = new ArrayList<>();
        Object policies = properties.get("Policies");
        if (policies == null) {
            return statements;
        }
        List<Object> items = policies instanceof List<?> ? list(policies, "Policies") : List.of(policies);
        for (Object item : items) {
            if (item instanceof String managed) {
                assertFalse(managed.toLowerCase(Locale.ROOT).contains("dynamodb"),
                        function + " uses managed policy " + managed + "; grant DynamoDB with explicit statements");
                continue;
            }
            Map<String, Object> policy = map(item, function + ".Policies[]");
            if (policy.containsKey("Statement")) {
                statements.addAll(statementsOf(policy.get("Statement")));
            } else {
                for (String key : policy.keySet()) {
                    assertFalse(key.toLowerCase(Locale.ROOT).contains("dynamodb"), function + " uses SAM policy template "
                            + key + ", which grants Scan; grant DynamoDB with explicit statements");
                }
            }
        }
        Object role = properties.get("Role");
        if (role != null) {
            // Only a role declared in this template can be checked (the IAM resources are checked as well).
            Object target = role instanceof Map<?, ?> intrinsic
                    ? intrinsic.containsKey("Ref") ? intrinsic.get("Ref")
                            : intrinsic.get("Fn::GetAtt") instanceof List<?> att && !att.isEmpty() ? att.get(0) : null
                    : null;
            if (!(target instanceof String name && resources.containsKey(name))) {
                fail(function + " uses a role not declared in template.yaml (" + role + "); its policies cannot be checked");
            }
        }
        return statements;
    }

    private static List<Map<String, Object>> iamResourceStatements(String name) {
        Map<String, Object> properties = properties(name);
        List<Map<String, Object>> statements = new ArrayList<>();
        if (properties.containsKey("PolicyDocument")) {
            statements.addAll(statementsOf(map(properties.get("PolicyDocument"), name).get("Statement")));
        }
        if (properties.containsKey("Policies")) {
            for (Object policy : list(properties.get("Policies"), name + ".Policies")) {
                Map<String, Object> document = map(map(policy, name).get("PolicyDocument"), name + ".PolicyDocument");
                statements.addAll(statementsOf(document.get("Statement")));
            }
        }
        for (String arn : properties.containsKey("ManagedPolicyArns")
                ? strings(properties.get("ManagedPolicyArns")) : List.<String>of()) {
            assertFalse(arn.toLowerCase(Locale.ROOT).contains("dynamodb"), name + " attaches " + arn);
        }
        return statements;
    }

    /** The statements, with a conditional one ({@code !If [cond, statement, !Ref AWS::NoValue]}) counted as granted. */
    static List<Map<String, Object>> statementsOf(Object statement) {
        List<Object> items = statement instanceof List<?> ? list(statement, "Statement") : List.of(statement);
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object item : items) {
            Map<String, Object> s = map(item, "Statement[]");
            if (s.containsKey("Fn::If")) {
                for (Object branch : list(s.get("Fn::If"), "Fn::If").subList(1, 3)) {
                    if (!Map.of("Ref", "AWS::NoValue").equals(branch)) {
                        statements.add(map(branch, "Fn::If branch"));
                    }
                }
            } else {
                statements.add(s);
            }
        }
        return statements;
    }

    /** Whether an Allow statement grants the action, honouring IAM wildcards and NotAction. */
    private static boolean allows(Map<String, Object> statement, String action) {
        if (!"Allow".equals(statement.get("Effect"))) {
            return false;
        }
        if (statement.containsKey("NotAction")) {
            return strings(statement.get("NotAction")).stream().noneMatch(p -> matches(p, action));
        }
        return strings(statement.get("Action")).stream().anyMatch(p -> matches(p, action));
    }

    private static boolean matches(String pattern, String action) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof Map<?, ?> choice && choice.containsKey("Fn::If")) {
            // either branch may apply (a secret read from Parameter Store or Secrets Manager): both are checked
            List<Object> branches = list(choice.get("Fn::If"), "Fn::If");
            List<String> both = new java.util.ArrayList<>(strings(branches.get(1)));
            both.addAll(strings(branches.get(2)));
            return both;
        }
        return list(value, "strings").stream().map(TemplateTableTest::string).collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        assertTrue(value instanceof Map<?, ?>, where + " must be a mapping, got " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String where) {
        assertTrue(value instanceof List<?>, where + " must be a list, got " + value);
        return (List<Object>) value;
    }

    private static String string(Object value) {
        assertTrue(value instanceof String, "expected a plain string, got " + value);
        return (String) value;
    }

    /**
     * SnakeYAML's safe constructor, plus CloudFormation's short-form tags: {@code !Ref X} becomes
     * {@code {Ref: X}}, {@code !Condition X} becomes {@code {Condition: X}}, {@code !GetAtt A.B} becomes
     * {@code {Fn::GetAtt: [A, B]}} and any other {@code !Name v} becomes {@code {Fn::Name: v}} — the long form
     * CloudFormation itself reads.
     */
    static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new ConstructIntrinsic());
        }

        private final class ConstructIntrinsic extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue();
                if (!tag.startsWith("!") || tag.length() < 2) {
                    throw new IllegalArgumentException("Unknown YAML tag " + tag + " at " + node.getStartMark());
                }
                String name = tag.substring(1);
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                if (name.equals("Ref") || name.equals("Condition")) {
                    intrinsic.put(name, value);
                } else if (name.equals("GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    intrinsic.put("Fn::GetAtt", dot < 0 ? List.of(dotted)
                            : List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
                } else {
                    intrinsic.put("Fn::" + name, value);
                }
                return intrinsic;
            }
        }
    }
}
