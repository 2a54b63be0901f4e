package io.tocsin.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.incident.IncidentHistory;

/**
 * The {@code metrics} function: figures over the incidents created in a window, by default the last 24 hours;
 * {@code from}/{@code to} (ISO-8601 with an offset) choose another (at most 93 days). Over API Gateway:
 * {@code GET /metrics?from=…&to=…}.
 */
public class MetricsFunction {

    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    @Inject
    IncidentMetrics metrics;
    @Inject
    Clock clock;

    @Funq("metrics")
    public JsonNode metrics(JsonNode event) {
        return Requests.handle(event == null ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                : event, input -> {
            List<Problem> problems = new ArrayList<>();
            Instant to = Requests.optionalInstant(input, "to", problems);
            Instant from = Requests.optionalInstant(input, "from", problems);
            if (to == null) {
                to = clock.instant();
            }
            if (from == null) {
                from = to.minus(DEFAULT_WINDOW);
            }
            if (problems.isEmpty() && !from.isBefore(to)) {
                problems.add(new Problem("from", "must be before to (" + to + ")"));
            } else if (problems.isEmpty() && from.plus(IncidentHistory.MAX_RANGE).isBefore(to)) {
                problems.add(new Problem("from", "the window may span at most " + IncidentHistory.MAX_RANGE.toDays()
                        + " days"));
            }
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            return Answer.ok(metrics.compute(from, to).toJson());
        });
    }

}
