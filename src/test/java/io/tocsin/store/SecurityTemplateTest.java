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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tocsin.audit.AuditLog;
import io.tocsin.dedup.DedupStore;
import io.tocsin.incident.IncidentStore;

/**
 * Issue 23 as template.yaml declares it: the role policies (execute-api:Invoke on exactly the routes of each role,
 * every IAM route in exactly one), the API access log, the DynamoDB partitions (dynamodb:LeadingKeys) of every
 * function, AlarmTopic's policy, the scheduler's dead-letter queue and the table's deletion protection.
 */
class SecurityTemplateTest {

    static final String INVOKE_PREFIX = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
            + "${TocsinHttpApi}/*/";

    /** Each role's policy and exactly its routes (as in the route ARN: METHOD/path, path parameters as *). */
    static final Map<String, Set<String>> ROLES = Map.of(
            "TocsinAdminPolicy", Set.of("POST/tokens", "GET/tokens", "DELETE/tokens/*", "POST/maintenance",
                    "DELETE/maintenance/*", "POST/oncall/apply", "POST/oncall/feed_create", "POST/oncall/feed_revoke",
                    "POST/oncall/import", "PUT/heartbeats/*", "DELETE/heartbeats/*"),
            "TocsinResponderPolicy", Set.of("POST/incidents/*/acknowledge", "POST/incidents/*/resolve"),
            "TocsinReaderPolicy", Set.of("GET/incidents", "GET/incidents/*", "GET/metrics", "GET/dashboard",
                    "GET/rules", "GET/maintenance", "GET/heartbeats", "GET/oncall/*"),
            "TocsinSenderPolicy", Set.of("POST/ingest", "POST/alertmanager", "POST/evaluate",
                    "POST/heartbeats/*/ping"));

    /**
     * Every function's DynamoDB partitions on the table itself (the dynamodb:LeadingKeys of its table statements,
     * each of which must have them): what its code reads and writes, nothing more. The internet-facing ones
     * (webhooks, ingest, the lifecycle and reads) can plant no token, window or on-call entry.
     */
    static final Map<String, Set<String>> PARTITIONS = Map.ofEntries(
            Map.entry("IngestFunction", Set.of("INC#*", "DEDUP#*", "TOKEN", "MAINT", "ONCALL", "PRIMING#*")),
            Map.entry("AlertmanagerFunction", Set.of("INC#*", "DEDUP#*", "TOKEN", "MAINT")),
            Map.entry("GrafanaFunction", Set.of("INC#*", "DEDUP#*", "TOKEN", "MAINT")),
            Map.entry("EvaluateFunction", Set.of("INC#*", "DEDUP#*", "MAINT")),
            Map.entry("AcknowledgeFunction", Set.of("INC#*", "DEDUP#*")),
            Map.entry("ResolveFunction", Set.of("INC#*", "DEDUP#*")),
            Map.entry("IncidentFunction", Set.of("INC#*", "DEDUP#*")),
            Map.entry("IncidentsFunction", Set.of("DEDUP#*")),
            Map.entry("PagerDutyWebhookFunction", Set.of("INC#*", "DEDUP#*", "WEBHOOK#*", "PRIMING#*")),
            Map.entry("EscalationSweepFunction", Set.of("INC#*", "DEDUP#*", "SWEEP", "ROLLUP", "PRIMING#*",
                    "HEARTBEAT", "MAINT", "ONCALL", "HANDOFF")),
            Map.entry("TokensFunction", Set.of("TOKEN", AuditLog.PARTITION)),
            Map.entry("OnCallFunction", Set.of("ONCALL", "ONCALL_FEED", AuditLog.PARTITION)),
            Map.entry("OnCallFeedFunction", Set.of("ONCALL", "ONCALL_FEED")),
            Map.entry("MaintenanceFunction", Set.of("MAINT", AuditLog.PARTITION)),
            Map.entry("RulesFunction", Set.of()),
            Map.entry("MetricsFunction", Set.of("ROLLUP", "DEDUP#*")),
            Map.entry("DashboardFunction", Set.of("HEARTBEAT", "ROLLUP", "DEDUP#*", "ONCALL")),
            Map.entry("HeartbeatFunction", Set.of("HEARTBEAT", "INC#*", "DEDUP#*")),
            Map.entry("DailySummaryFunction", Set.of("SUMMARY", "ROLLUP", "DEDUP#*")));

    @BeforeAll
    static void load() throws IOException {
        TemplateTableTest.loadTemplate();
    }

    @Test
    void everyIamRouteIsInExactlyOneRoleAndEveryRoleInvokesExactlyItsRoutes() {
        Set<String> iamRoutes = new TreeSet<>();
        for (String function : resourcesOfType(FUNCTION_TYPES)) {
            Object events = properties(function).get("Events");
            for (Object event : events == null ? List.of() : map(events, function).values()) {
                Map<String, Object> e = map(event, function);
                Map<String, Object> p = "HttpApi".equals(e.get("Type")) ? map(e.get("Properties"), function) : null;
                if (p != null && p.get("Auth") == null) {
                    iamRoutes.add(p.get("Method") + String.valueOf(p.get("Path")).replaceAll("\\{[^}]+}", "*"));
                }
            }
        }
        Map<String, String> roleOf = new TreeMap<>();
        ROLES.forEach((policy, routes) -> {
            Map<String, Object> resource = map(TemplateTableTest.resources.get(policy), policy);
            assertEquals("AWS::IAM::ManagedPolicy", resource.get("Type"), policy);
            List<Object> statements = list(map(map(resource.get("Properties"), policy).get("PolicyDocument"), policy)
                    .get("Statement"), policy);
            assertEquals(1, statements.size(), policy + ": one statement");
            Map<String, Object> statement = map(statements.get(0), policy);
            assertEquals("Allow", statement.get("Effect"), policy);
            assertEquals(List.of("execute-api:Invoke"), strings(statement.get("Action")), policy);
            Set<String> granted = new TreeSet<>();
            for (Object arn : list(statement.get("Resource"), policy)) {
                String sub = String.valueOf(map(arn, policy).get("Fn::Sub"));
                assertTrue(sub.startsWith(INVOKE_PREFIX), policy + ": on this stack's API only: " + sub);
                String route = sub.substring(INVOKE_PREFIX.length());
                assertTrue(granted.add(route), policy + " lists " + route + " twice");
                assertEquals(null, roleOf.put(route, policy), route + " is in two roles");
            }
            assertEquals(new TreeSet<>(routes), granted, policy + "'s routes");
            Map<String, Object> output = map(map(TemplateTableTest.template.get("Outputs"), "Outputs")
                    .get(policy + "Arn"), policy + "Arn output");
            assertEquals(Map.of("Ref", policy), output.get("Value"), policy + " is named in the outputs");
        });
        assertEquals(iamRoutes, roleOf.keySet(), "every IAM-authorised route is in exactly one role (and no other)");
    }

    @Test
    void theApiWritesAnAccessLogWithTheCallerToAGroupThatExpires() {
        Map<String, Object> settings = map(properties("TocsinHttpApi").get("AccessLogSettings"), "AccessLogSettings");
        assertEquals(Map.of("Fn::GetAtt", List.of("ApiAccessLogGroup", "Arn")), settings.get("DestinationArn"));
        String format = String.valueOf(settings.get("Format"));
        for (String field : List.of("$context.requestId", "$context.routeKey", "$context.status",
                "$context.identity.userArn", "$context.identity.sourceIp", "$context.requestTime")) {
            assertTrue(format.contains(field), "access log has " + field + ": " + format);
        }
        assertEquals(Map.of("Ref", "LogRetentionDays"), properties("ApiAccessLogGroup").get("RetentionInDays"));
        assertTrue(resourcesOfType(Set.of("AWS::ApiGateway::RestApi", "AWS::Serverless::Api")).isEmpty(),
                "no REST API (it would need its own access log)");
    }

    @Test
    void everyFunctionTouchesExactlyItsPartitionsOfTheTable() {
        assertEquals(new TreeSet<>(PARTITIONS.keySet()), new TreeSet<>(resourcesOfType(FUNCTION_TYPES)));
        PARTITIONS.forEach((function, expected) -> {
            Set<String> allowed = new TreeSet<>();
            for (Map<String, Object> statement : policyStatements(function)) {
                Object resource = statement.get("Resource");
                List<Object> targets = resource instanceof List<?> ? list(resource, function) : List.of(resource);
                if (!targets.contains(TABLE_ARN)) {
                    continue;
                }
                assertEquals(List.of(TABLE_ARN), targets, function + ": a table statement names only the table");
                Object condition = statement.get("Condition");
                assertNotNull(condition, function + ": table statement without dynamodb:LeadingKeys: " + statement);
                Map<String, Object> c = map(condition, function);
                assertEquals(1, c.size(), function + ": " + c);
                var entry = c.entrySet().iterator().next();
                List<String> patterns = strings(map(entry.getValue(), function).get("dynamodb:LeadingKeys"));
                if (entry.getKey().equals("ForAllValues:StringEquals")) {
                    patterns.forEach(p -> assertFalse(p.contains("*"), function + ": wildcard under StringEquals"));
                } else {
                    assertEquals("ForAllValues:StringLike", entry.getKey(), function);
                }
                assertFalse(patterns.isEmpty() || patterns.contains("*"), function + ": " + patterns);
                allowed.addAll(patterns);
            }
            assertEquals(new TreeSet<>(expected), allowed, function + "'s partitions");
        });
        // the patterns above are the keys the code writes
        assertTrue(IncidentStore.partitionKey("i").startsWith("INC#"));
        assertTrue(DedupStore.partitionKey("k").startsWith("DEDUP#"));
    }

    @Test
    void onlyThisAccountsCloudWatchAlarmsMayPublishToAlarmTopic() {
        Map<String, Object> policy = properties("AlarmTopicPolicy");
        assertEquals(List.of(Map.of("Ref", "AlarmTopic")), policy.get("Topics"));
        List<Object> statements = list(map(policy.get("PolicyDocument"), "doc").get("Statement"), "statements");
        List<Map<String, Object>> allows = new ArrayList<>();
        List<Map<String, Object>> denies = new ArrayList<>();
        for (Object s : statements) {
            Map<String, Object> statement = map(s, "statement");
            ("Allow".equals(statement.get("Effect")) ? allows : denies).add(statement);
        }
        assertEquals(1, allows.size(), "one Allow: " + allows);
        Map<String, Object> allow = allows.get(0);
        assertEquals(Map.of("Service", "cloudwatch.amazonaws.com"), allow.get("Principal"));
        assertEquals(List.of("sns:Publish"), strings(allow.get("Action")));
        Map<String, Object> condition = map(allow.get("Condition"), "condition");
        assertEquals(Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")), condition.get("StringEquals"));
        assertNotNull(condition.get("ArnLike"), "alarms only (aws:SourceArn)");
        assertEquals(1, denies.size(), "everyone else is denied, whatever their identity policy says");
        assertEquals("*", denies.get(0).get("Principal"));
        assertEquals(Map.of("StringNotEquals", Map.of("aws:PrincipalServiceName", "cloudwatch.amazonaws.com")),
                denies.get(0).get("Condition"));
    }

    @Test
    void theSchedulersDeadLetterQueueKeeps14DaysAndRaisesAnAlarm() {
        Object queue = Map.of("Fn::GetAtt", List.of("SchedulerDeadLetterQueue", "Arn"));
        Map<String, String> schedules = Map.of("EscalationSweepFunction", "EveryMinute",
                "DailySummaryFunction", "Daily");
        schedules.forEach((function, event) -> {
            Map<String, Object> p = map(map(map(properties(function).get("Events"), function).get(event), event)
                    .get("Properties"), event);
            assertEquals(Map.of("Arn", queue), p.get("DeadLetterConfig"), function + "'s schedule");
        });
        assertEquals(14 * 24 * 3600, ((Number) properties("SchedulerDeadLetterQueue").get("MessageRetentionPeriod"))
                .intValue(), "the maximum, 14 days");
        Map<String, Object> alarm = properties("SchedulerDeadLetterAlarm");
        assertEquals("ApproximateNumberOfMessagesVisible", alarm.get("MetricName"));
        assertEquals(List.of(Map.of("Name", "QueueName",
                "Value", Map.of("Fn::GetAtt", List.of("SchedulerDeadLetterQueue", "QueueName")))),
                alarm.get("Dimensions"));
        assertEquals(List.of(Map.of("Ref", "OpsAlarmTopic")), alarm.get("AlarmActions"));
    }

    @Test
    void theTableIsProtectedFromDeletion() {
        assertEquals(Boolean.TRUE, properties("IncidentTable").get("DeletionProtectionEnabled"));
    }

    /**
     * Issue 23 part 2: the AWS-side gate as a template option. A custom domain (off by default) with mutual TLS when a
     * truststore is given; then the default endpoint is closed, so strangers without a client certificate never reach
     * a function.
     */
    @Test
    void aCustomDomainWithMutualTlsIsATemplateOptionThatClosesTheDefaultEndpoint() {
        Map<String, Object> parameters = map(TemplateTableTest.template.get("Parameters"), "Parameters");
        for (String name : List.of("CustomDomainName", "CustomDomainCertificateArn", "MutualTlsTruststoreUri")) {
            assertEquals("", map(parameters.get(name), name).get("Default"), name + " is off by default");
        }
        Map<String, Object> domain = map(TemplateTableTest.template.get("Resources"), "Resources");
        Map<String, Object> domainName = map(domain.get("TocsinDomainName"), "TocsinDomainName");
        assertEquals("HasCustomDomain", domainName.get("Condition"));
        assertEquals(Map.of("Fn::If", List.of("HasMutualTls", Map.of("TruststoreUri", Map.of("Ref",
                "MutualTlsTruststoreUri")), Map.of("Ref", "AWS::NoValue"))),
                properties("TocsinDomainName").get("MutualTlsAuthentication"));
        assertEquals("HasCustomDomain", map(domain.get("TocsinApiMapping"), "TocsinApiMapping").get("Condition"));
        assertEquals(Map.of("Ref", "TocsinHttpApi"), properties("TocsinApiMapping").get("ApiId"));
        assertEquals(Map.of("Fn::If", List.of("HasMutualTls", true, false)),
                properties("TocsinHttpApi").get("DisableExecuteApiEndpoint"));
        Map<String, Object> conditions = map(TemplateTableTest.template.get("Conditions"), "Conditions");
        assertTrue(String.valueOf(conditions.get("HasMutualTls")).contains("HasCustomDomain"),
                "mutual TLS only on the custom domain: " + conditions.get("HasMutualTls"));
    }
}
