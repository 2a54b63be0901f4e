package io.tocsin.summary;

import java.time.Clock;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;

/**
 * The {@code daily-summary} function, run by EventBridge Scheduler at {@code ALERT_SUMMARY_EMAIL_TIME} (its event is
 * ignored: the due day follows from the clock). Answers {@code {"sent":true,"date":…,"health":…}} or
 * {@code {"sent":false,"date":…,"reason":…}}; fails (so that it is retried) when the email could not be sent.
 */
public class SummaryFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DailySummary summary;
    @Inject
    Clock clock;

    @Funq("daily-summary")
    public JsonNode dailySummary(JsonNode scheduledEvent) {
        DailySummary.Result result = summary.run(clock.instant());
        ObjectNode answer = JSON.createObjectNode().put("sent", result.sent()).put("date", result.date().toString());
        if (result.reason() != null) {
            answer.put("reason", result.reason());
        }
        SummaryReport report = result.report();
        if (report != null) {
            answer.put("subject", report.subject());
            answer.put("from", report.from().toString()).put("to", report.to().toString());
            answer.put("total_alerts", report.totalAlerts()).put("total_incidents", report.incidents());
            answer.put("unresolved", report.unresolvedTotal());
            answer.put("health", report.health().status().name()).put("health_line", report.health().line());
        }
        return answer;
    }
}
