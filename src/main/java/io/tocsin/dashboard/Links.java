package io.tocsin.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the dashboard's links go. In a browser (the local run, API Gateway's {@code GET /dashboard}) a link is a
 * relative URL with query parameters. In a CloudWatch custom widget, which runs no script and cannot follow a
 * relative link, a link is a {@code <cwdb-action action="call">} that invokes this function again with the link's
 * parameters as JSON (AWS: "Interactivity in the custom widget in CloudWatch",
 * AmazonCloudWatch/latest/monitoring/add_custom_widget_dashboard_interactivity.html): filters replace the widget's
 * content, an incident opens in a popup. {@code endpoint} is the function's ARN; null when it cannot be known (then
 * the widget shows the ids without links).
 *
 * @param history the history filters in force (kept by every link)
 */
record Links(Map<String, String> history, boolean widget, String endpoint) {

    private static final ObjectMapper JSON = new ObjectMapper();

    Links {
        Map<String, String> kept = new LinkedHashMap<>();
        history.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                kept.put(name, value);
            }
        });
        history = Map.copyOf(kept);
    }

    static Links browser(DashboardFilter filter) {
        return new Links(params(filter), false, null);
    }

    static Links widget(DashboardFilter filter, String endpoint) {
        return new Links(params(filter), true, endpoint);
    }

    private static Map<String, String> params(DashboardFilter filter) {
        Map<String, String> params = new LinkedHashMap<>();
        if (filter.severity() != null) {
            params.put("severity", filter.severity().wire());
        }
        if (!filter.statuses().isEmpty()) {
            params.put("status", filter.statuses().stream().sorted().map(s -> s.wire())
                    .collect(Collectors.joining(",")));
        }
        if (filter.source() != null) {
            params.put("source", filter.source());
        }
        return params;
    }

    /** The incident's own page. */
    DashboardView.Link incident(String id) {
        return link(id, Map.of("incident", id), false);
    }

    /** The dashboard with this open-list filter (and the history filters in force). */
    DashboardView.Link open(OpenList.Filter filter) {
        return openLink("all open incidents", filter, false);
    }

    DashboardView.Link openLink(String label, OpenList.Filter filter, boolean current) {
        return link(label, params(filter), current);
    }

    /** The parameters a form keeps: the history filters and this open-list filter. */
    java.util.List<DashboardView.Param> keep(OpenList.Filter filter) {
        return params(filter).entrySet().stream().map(e -> new DashboardView.Param(e.getKey(), e.getValue()))
                .toList();
    }

    private Map<String, String> params(OpenList.Filter filter) {
        Map<String, String> params = new LinkedHashMap<>(history);
        if (filter.severity() != null) {
            params.put("open_severity", filter.severity().wire());
        }
        if (filter.status() != null) {
            params.put("open_status", filter.status().wire());
        }
        if (filter.sourcePrefix() != null) {
            params.put("open_source", filter.sourcePrefix());
        }
        return params;
    }

    /** The dashboard itself, with the history filters in force. */
    DashboardView.Link dashboard() {
        return link("Dashboard", history, false);
    }

    private DashboardView.Link link(String label, Map<String, String> params, boolean current) {
        if (widget) {
            ObjectNode json = JSON.createObjectNode();
            params.forEach(json::put);
            return new DashboardView.Link(label, null, json.toString(), current);
        }
        String query = params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return new DashboardView.Link(label, "?" + query, null, current);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
