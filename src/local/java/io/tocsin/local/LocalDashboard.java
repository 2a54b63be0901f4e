package io.tocsin.local;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.tocsin.dashboard.DashboardActions;
import io.tocsin.dashboard.DashboardPage;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Local run only: the dashboard at {@code GET http://localhost:8080/dashboard} (query parameters {@code severity},
 * {@code status}, {@code source}, {@code open_severity}, {@code open_status}, {@code open_source}, {@code incident}),
 * as API Gateway's {@code GET /dashboard} route serves it in AWS, and {@code POST /dashboard/actions}: the incident page's
 * acknowledge and resolve forms ({@link DashboardActions}), which only the local run serves. Funqy HTTP serves the
 * functions at {@code POST /<function>} only, so these routes are added to the router directly.
 */
public class LocalDashboard {

    /** Where the incident page's forms post (the page's {@code action="dashboard/actions"}). */
    static final String ACTIONS = "/dashboard/actions";
    /** The largest form accepted (the resolution notes are at most 10,000 characters). */
    private static final long MAX_FORM_BYTES = 64 * 1024;

    @Inject
    DashboardPage page;
    @Inject
    DashboardActions actions;

    void routes(@Observes Router router) {
        // before Funqy's own routes; blocking: rendering reads DynamoDB
        router.get("/dashboard").order(-1).blockingHandler(context -> {
            Map<String, String> query = new LinkedHashMap<>();
            context.queryParams().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
            DashboardPage.Rendered rendered = page.render(query, DashboardPage.Surface.LOCAL_RUN);
            context.response().setStatusCode(rendered.status())
                    .putHeader("content-type", "text/html; charset=utf-8").end(rendered.html());
        });
        // not POST /dashboard, which is Funqy's: the function invoked with a JSON body
        router.post(ACTIONS).order(-1).handler(BodyHandler.create().setBodyLimit(MAX_FORM_BYTES));
        router.post(ACTIONS).order(0).blockingHandler(context -> {
            Map<String, String> form = new LinkedHashMap<>();
            context.request().formAttributes().forEach(entry -> form.putIfAbsent(entry.getKey(), entry.getValue()));
            DashboardActions.Outcome outcome = actions.submit(form);
            if (outcome.location() != null) {
                context.response().setStatusCode(outcome.status()).putHeader("location", "/dashboard"
                        + outcome.location()).end();
            } else {
                context.response().setStatusCode(outcome.status())
                        .putHeader("content-type", "text/html; charset=utf-8").end(outcome.html());
            }
        });
    }
}
