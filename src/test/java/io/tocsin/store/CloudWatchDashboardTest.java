package io.tocsin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tocsin.emf.Emf;
import io.tocsin.support.Projects;

/**
 * template.yaml's CloudWatch dashboard graphs every metric the functions emit (io.tocsin.emf.Emf.Metric), under
 * each value of its dimension, and nothing under Tocsin's namespace that no function emits (a typo graphs nothing).
 */
class CloudWatchDashboardTest {

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}]+)}");

    /** A graphed metric: namespace, name and dimensions (name → value). */
    record Graphed(String namespace, String name, Map<String, String> dimensions) {
    }

    private static Map<String, Object> template;
    private static Map<String, Object> resources;
    private static JsonNode body;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Projects.root().resolve("template.yaml"), StandardCharsets.UTF_8)) {
            template = new Yaml(new TemplateTableTest.CloudFormationConstructor()).load(reader);
            resources = (Map<String, Object>) template.get("Resources");
        }
        Map<String, Object> dashboard = (Map<String, Object>) resources.get("TocsinDashboard");
        assertEquals("AWS::CloudWatch::Dashboard", dashboard.get("Type"));
        Object dashboardBody = ((Map<String, Object>) dashboard.get("Properties")).get("DashboardBody");
        String text = (String) assertInstanceOf(Map.class, dashboardBody).get("Fn::Sub");
        body = new ObjectMapper().readTree(substitute(text));
    }

    /** Resolves ${AWS::Region}-style pseudo parameters and ${Resource} / ${Resource.Attribute} of this template. */
    private static String substitute(String text) {
        Matcher m = SUBSTITUTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resource = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            assertTrue(name.startsWith("AWS::") || resources.containsKey(resource),
                    "the dashboard refers to ${" + name + "}, which is neither a pseudo parameter nor a resource");
            m.appendReplacement(out, Matcher.quoteReplacement("resolved-" + name));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every metric of every metric widget, with CloudWatch's "..." shorthand (repeat the previous metric's head). */
    private static List<Graphed> graphed() {
        List<Graphed> all = new ArrayList<>();
        for (JsonNode widget : body.path("widgets")) {
            if (!"metric".equals(widget.path("type").asText())) {
                continue;
            }
            List<String> previous = List.of();
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                List<String> parts = new ArrayList<>();
                for (JsonNode part : metric) {
                    if (part.isTextual()) {
                        parts.add(part.asText());
                    }
                }
                if (!parts.isEmpty() && parts.get(0).equals("...")) {
                    List<String> tail = parts.subList(1, parts.size());
                    List<String> expanded = new ArrayList<>(previous.subList(0, previous.size() - tail.size()));
                    expanded.addAll(tail);
                    parts = expanded;
                }
                assertTrue(parts.size() >= 2 && parts.size() % 2 == 0, "namespace, name, then dimension pairs: " + metric);
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (int i = 2; i < parts.size(); i += 2) {
                    dimensions.put(parts.get(i), parts.get(i + 1));
                }
                all.add(new Graphed(parts.get(0), parts.get(1), dimensions));
                previous = parts;
            }
        }
        return all;
    }

    /**
     * The dashboard ($3.00 a month) is optional: parameter CloudWatchDashboard, on by default; off, no dashboard, no
     * viewer policy and no output naming them (the incident dashboard stays at the API's /dashboard route).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDashboardIsOptionalAndOnByDefault() {
        Map<String, Object> parameter = (Map<String, Object>) ((Map<String, Object>) template.get("Parameters"))
                .get("CloudWatchDashboard");
        assertEquals("true", String.valueOf(parameter.get("Default")));
        assertEquals(Map.of("Fn::Equals", java.util.List.of(Map.of("Ref", "CloudWatchDashboard"), "true")),
                ((Map<String, Object>) template.get("Conditions")).get("CreateDashboard"));
        for (String name : java.util.List.of("TocsinDashboard", "DashboardViewerPolicy")) {
            assertEquals("CreateDashboard", ((Map<String, Object>) resources.get(name)).get("Condition"), name);
        }
        Map<String, Object> outputs = (Map<String, Object>) template.get("Outputs");
        for (var output : outputs.entrySet()) {
            String text = String.valueOf(output.getValue());
            if (text.contains("TocsinDashboard") || text.contains("DashboardViewerPolicy")) {
                assertEquals("CreateDashboard", ((Map<String, Object>) output.getValue()).get("Condition"),
                        output.getKey());
            }
        }
        for (var resource : resources.entrySet()) {
            if (!resource.getKey().equals("DashboardViewerPolicy") && !resource.getKey().equals("TocsinDashboard")) {
                String text = String.valueOf(resource.getValue());
                assertTrue(!text.contains("TocsinDashboard") && !text.contains("DashboardViewerPolicy"),
                        resource.getKey() + " names a resource that may not exist");
            }
        }
    }

    @Test
    void everyEmittedMetricIsGraphedUnderEachDimensionValue() {
        Set<Graphed> graphed = new HashSet<>(graphed());
        for (Emf.Metric metric : Emf.Metric.values()) {
            if (metric.dimension() == null) {
                assertTrue(graphed.contains(new Graphed(Emf.NAMESPACE, metric.metricName(), Map.of())),
                        metric.metricName() + " is not on the dashboard: " + graphed);
            } else {
                for (String value : metric.dimensionValues()) {
                    assertTrue(graphed.contains(new Graphed(Emf.NAMESPACE, metric.metricName(),
                            Map.of(metric.dimension(), value))),
                            metric.metricName() + " " + metric.dimension() + "=" + value + " is not on the dashboard");
                }
            }
        }
    }

    @Test
    void nothingGraphedUnderTocsinThatNoFunctionEmits() {
        for (Graphed g : graphed()) {
            if (!g.namespace().equals(Emf.NAMESPACE)) {
                continue;
            }
            Emf.Metric metric = java.util.Arrays.stream(Emf.Metric.values())
                    .filter(m -> m.metricName().equals(g.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no function emits " + g.name()));
            if (metric.dimension() == null) {
                assertEquals(Map.of(), g.dimensions(), g.name() + " has no dimensions");
            } else {
                assertEquals(Set.of(metric.dimension()), g.dimensions().keySet(), g.name());
                assertTrue(metric.dimensionValues().contains(g.dimensions().get(metric.dimension())),
                        g + ": no such " + metric.dimension());
            }
        }
    }

    @Test
    void widgetsStayInsideTheTwentyFourColumnGrid() {
        // CloudWatch dashboard body structure: the grid is 24 units wide (x + width <= 24).
        for (JsonNode widget : body.path("widgets")) {
            int x = widget.path("x").asInt();
            int width = widget.path("width").asInt();
            assertTrue(x >= 0 && width > 0 && x + width <= 24, "widget outside the grid: " + widget);
            // a custom widget has no region: its endpoint, a function ARN, says where it runs
            assertTrue(!"metric".equals(widget.path("type").asText())
                    || widget.path("properties").path("region").asText().startsWith("resolved-AWS::Region"),
                    "every metric widget names the stack's region: " + widget);
        }
    }

    /** The incident dashboard opens in the console as a custom widget of this dashboard, rendered by DashboardFunction. */
    @Test
    void theIncidentDashboardIsACustomWidgetOfTheDashboardFunction() {
        List<JsonNode> custom = new ArrayList<>();
        body.path("widgets").forEach(w -> {
            if ("custom".equals(w.path("type").asText())) {
                custom.add(w);
            }
        });
        assertEquals(1, custom.size(), "one custom widget: " + custom);
        // the live alias of DashboardFunction, which the console invokes with the viewer's credentials
        assertEquals("resolved-DashboardFunction.Arn:live", custom.get(0).path("properties").path("endpoint").asText());
    }

    /**
     * The access rule: only IAM identities given lambda:InvokeFunction on the function's live alias see the widget
     * (DashboardViewerPolicy grants exactly that, and the dashboard and its graphs); no resource policy or function URL
     * opens DashboardFunction to anyone else, and its HTTP route keeps the API's IAM authorizer.
     */
    @Test
    @SuppressWarnings("unchecked")
    void onlyTheViewerPolicyOpensTheWidget() {
        Map<String, Object> policy = (Map<String, Object>) resources.get("DashboardViewerPolicy");
        assertEquals("AWS::IAM::ManagedPolicy", policy.get("Type"));
        Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties"))
                .get("PolicyDocument");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
        List<Map<String, Object>> lambda = statements.stream()
                .filter(st -> String.valueOf(st.get("Action")).contains("lambda:")).toList();
        assertEquals(1, lambda.size(), statements.toString());
        assertEquals("Allow", lambda.get(0).get("Effect"));
        assertEquals(List.of("lambda:InvokeFunction"), lambda.get(0).get("Action"));
        assertEquals(Map.of("Fn::Sub", "${DashboardFunction.Arn}:live"), lambda.get(0).get("Resource"));
        statements.forEach(st -> assertEquals("Allow", st.get("Effect")));
        statements.forEach(st -> ((List<String>) st.get("Action")).forEach(action -> assertTrue(
                action.equals("lambda:InvokeFunction") || action.equals("cloudwatch:GetDashboard")
                        || action.equals("cloudwatch:ListDashboards") || action.equals("cloudwatch:GetMetricData"),
                "the viewer policy allows no more than viewing: " + action)));

        resources.forEach((name, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if ("AWS::Lambda::Permission".equals(r.get("Type")) || "AWS::Lambda::Url".equals(r.get("Type"))) {
                assertTrue(!String.valueOf(r.get("Properties")).contains("DashboardFunction"),
                        name + " opens DashboardFunction to another principal");
            }
        });
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) resources.get("DashboardFunction"))
                .get("Properties");
        assertTrue(!function.containsKey("FunctionUrlConfig"), "a function URL would bypass IAM");
        Map<String, Object> route = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function
                .get("Events")).get("Dashboard")).get("Properties");
        assertTrue(!route.containsKey("Auth"), "GET /dashboard keeps the API's default authorizer");
        Map<String, Object> api = (Map<String, Object>) ((Map<String, Object>) resources.get("TocsinHttpApi"))
                .get("Properties");
        assertEquals("AWS_IAM", ((Map<String, Object>) api.get("Auth")).get("DefaultAuthorizer"));
    }
}
