package io.tocsin.local;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.tocsin.dashboard.DashboardPage;
import io.vertx.ext.web.Router;

/**
 * Local run only: the dashboard at {@code GET http://localhost:8080/dashboard} (query parameters {@code severity},
 * {@code status}, {@code source}), as API Gateway's {@code GET /dashboard} route serves it in AWS. Funqy HTTP serves
 * the functions at {@code POST /<function>} only, so this route is added to the router directly.
 */
public class LocalDashboard {

    @Inject
    DashboardPage page;

    void routes(@Observes Router router) {
        // before Funqy's own routes; blocking: rendering reads DynamoDB
        router.get("/dashboard").order(-1).blockingHandler(context -> {
            Map<String, String> query = new LinkedHashMap<>();
            context.queryParams().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
            DashboardPage.Rendered rendered = page.render(query);
            context.response().setStatusCode(rendered.status())
                    .putHeader("content-type", "text/html; charset=utf-8").end(rendered.html());
        });
    }
}
