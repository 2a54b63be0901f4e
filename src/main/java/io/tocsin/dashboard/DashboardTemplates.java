package io.tocsin.dashboard;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tocsin.api.Problem;

/**
 * The dashboard's Qute templates, checked at build time: {@code templates/dashboard.html} and
 * {@code templates/dashboardError.html}. HTML templates escape every value; only the SVG charts ({@link io.quarkus.qute.RawString}
 * built by {@link SvgChart}) are inserted as they are.
 */
@CheckedTemplate
final class DashboardTemplates {

    private DashboardTemplates() {
    }

    /** @param widget rendered in a CloudWatch custom widget, whose filters are the widget's parameters (no form) */
    static native TemplateInstance dashboard(DashboardView view, boolean widget);

    static native TemplateInstance dashboardIncident(IncidentView view);

    static native TemplateInstance dashboardError(List<Problem> problems);
}
