package io.tocsin.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;

/**
 * The {@code dashboard} function: the HTML dashboard. Over API Gateway ({@code GET /dashboard?severity=…&status=…
 * &source=…}, and the open list's {@code open_severity}, {@code open_status}, {@code open_source}, or
 * {@code incident=<id>} for an incident's page) it answers the page as {@code text/html}; invoked directly with {@code {"severity"?, "status"?,
 * "source"?}} it answers {@code {"html": "<!DOCTYPE html>…"}}. A bad filter is a 400 naming the field (an HTML page
 * over API Gateway, the usual {@code invalid_request} body when invoked directly).
 *
 * <p>As a CloudWatch dashboard custom widget the console invokes it with the viewer's own credentials and an event
 * holding {@code widgetContext} (the widget's parameters are also copied to the top level of the event: the filters);
 * the answer is the page itself as a JSON string, which the console renders (error page included). AWS: "Details
 * about custom widgets in CloudWatch" (AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_about.html).
 */
public class DashboardFunction {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The page's parameters: the history filters, the open list's filters, and an incident's own page. */
    private static final List<String> FILTERS = List.of("severity", "status", "source", "open_severity",
            "open_status", "open_source", "incident");
    /** The alias the stack's widget invokes (template.yaml: AutoPublishAlias live, the widget's endpoint). */
    static final String WIDGET_ALIAS = "live";
    /** What the CloudWatch console adds to every custom widget invocation. */
    static final String WIDGET_CONTEXT = "widgetContext";

    @Inject
    DashboardPage page;

    @Funq("dashboard")
    public JsonNode dashboard(JsonNode event) {
        if (ApiGateway.isProxyEvent(event)) {
            if (io.tocsin.api.Actor.of(event).isEmpty()) {
                return io.tocsin.api.Actor.refusal();
            }
            DashboardPage.Rendered rendered = page.render(ApiGateway.request(event).queryParameters());
            return ApiGateway.htmlResponse(rendered.status(), rendered.html());
        }
        if (isCustomWidget(event)) {
            // the widget's parameters, which the console copies to the top level of the event
            List<Problem> problems = new ArrayList<>();
            Map<String, String> query = filters(event, problems);
            JsonNode context = event.path(WIDGET_CONTEXT);
            DashboardPage.Surface surface = DashboardPage.Surface.widget(widgetEndpoint(System.getenv(),
                    context.path("accountId").asText(null)), "dark".equals(context.path("theme").asText()));
            return TextNode.valueOf(problems.isEmpty() ? page.render(query, surface).html()
                    : DashboardTemplates.dashboardError(problems).render());
        }
        JsonNode input = event == null || event.isNull() ? JSON.createObjectNode() : event;
        if (!input.isObject()) {
            return Answer.invalid(List.of(new Problem("(event)", "must be a JSON object"))).body();
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, String> query = filters(input, problems);
        DashboardFilter filter = DashboardFilter.parse(query, problems);
        if (!problems.isEmpty()) {
            return Answer.invalid(problems).body();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("html", page.html(filter));
        return body;
    }

    /**
     * The ARN the widget's links call back ({@code <cwdb-action endpoint>}): this function's {@value #WIDGET_ALIAS}
     * alias, from the Lambda runtime's {@code AWS_REGION} and {@code AWS_LAMBDA_FUNCTION_NAME} and the widget's
     * {@code accountId}; null when any is missing (outside Lambda), and the widget then shows no links.
     */
    static String widgetEndpoint(Map<String, String> env, String accountId) {
        String region = env.get("AWS_REGION");
        String function = env.get("AWS_LAMBDA_FUNCTION_NAME");
        if (region == null || function == null || accountId == null || !accountId.matches("[0-9]{12}")) {
            return null;
        }
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":lambda:" + region + ":" + accountId + ":function:" + function + ":"
                + WIDGET_ALIAS;
    }

    /** An invocation by a CloudWatch dashboard custom widget: an object with a {@code widgetContext} object. */
    static boolean isCustomWidget(JsonNode event) {
        return event != null && event.path(WIDGET_CONTEXT).isObject();
    }

    /** The filter fields of a JSON event as query parameters; a value of the wrong type is a problem. */
    private static Map<String, String> filters(JsonNode input, List<Problem> problems) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String field : FILTERS) {
            JsonNode value = input.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isTextual()) {
                query.put(field, value.asText());
            } else if (field.equals("status") && value.isArray()) {
                List<String> names = new ArrayList<>();
                value.forEach(n -> names.add(n.asText()));
                query.put(field, String.join(",", names));
            } else {
                problems.add(new Problem(field, "must be a string, got " + value.getNodeType().name().toLowerCase()));
            }
        }
        return query;
    }
}
