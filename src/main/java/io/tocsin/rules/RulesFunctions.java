package io.tocsin.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.funqy.Funq;
import io.tocsin.alert.AlertRule;
import io.tocsin.api.Answer;
import io.tocsin.api.Problem;
import io.tocsin.api.Requests;
import io.tocsin.ingest.IngestPipeline;
import io.tocsin.ingest.ValidateStage;

/**
 * {@code rules} lists the catalogue; {@code evaluate} takes metric samples of a source
 * ({@code {"source":"api","error_rate":0.07,"api_p99_ms":2300}}) and raises, through the ingest pipeline, the alert of
 * each broken rule (one per metric family). The dedup key is the source and rule, so a metric that stays bad is one
 * incident.
 */
public class RulesFunctions {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RuleEvaluator evaluator;
    @Inject
    IngestPipeline pipeline;

    @Funq("rules")
    public JsonNode rules(JsonNode event) {
        return Requests.handle(event == null ? JSON.createObjectNode() : event, input -> {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode list = answer.putArray("rules");
            for (AlertRule rule : AlertRule.values()) {
                ObjectNode entry = list.addObject();
                entry.put("name", rule.ruleName());
                entry.put("severity", rule.severity().wire());
                entry.put("title", rule.title());
                entry.put("description", rule.description());
                entry.put("metric", rule.metric().orElse(null));
                if (rule.threshold().isPresent()) {
                    entry.put("threshold", evaluator.threshold(rule));
                }
            }
            return Answer.ok(answer);
        });
    }

    @Funq("evaluate")
    public JsonNode evaluate(JsonNode event) {
        return Requests.handle(event, input -> {
            List<Problem> problems = new ArrayList<>();
            String source = Requests.requiredText(input, "source", ValidateStage.MAX_SOURCE_CHARS, problems);
            Map<String, Double> samples = new LinkedHashMap<>();
            for (String metric : RuleEvaluator.families().keySet()) {
                JsonNode value = input.get(metric);
                if (value == null || value.isNull()) {
                    continue;
                }
                if (!value.isNumber()) {
                    problems.add(new Problem(metric, "must be a number, got " + value));
                } else {
                    samples.put(metric, value.asDouble());
                }
            }
            if (problems.isEmpty() && samples.isEmpty()) {
                problems.add(new Problem("(event)", "has no metric with a rule; known: "
                        + String.join(", ", RuleEvaluator.families().keySet())));
            }
            if (!problems.isEmpty()) {
                return Answer.invalid(problems);
            }
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode fired = answer.putArray("fired");
            for (RuleEvaluator.Firing firing : evaluator.evaluate(samples)) {
                ObjectNode alert = JSON.createObjectNode();
                alert.put("rule", firing.rule().ruleName());
                alert.put("source", source);
                alert.put("dedup_key", "rule:" + firing.rule().ruleName() + ":" + source);
                alert.put("description", firing.rule().description() + " " + firing.metric() + " = " + firing.value()
                        + " (threshold " + firing.threshold() + ")");
                alert.putObject("metadata").put("metric", firing.metric()).put("value", firing.value())
                        .put("threshold", firing.threshold());
                ObjectNode result = pipeline.ingest(alert, alert.toString().length()).answer();
                result.put("rule", firing.rule().ruleName());
                result.put("value", firing.value());
                fired.add(result);
            }
            answer.put("evaluated", samples.size());
            return Answer.ok(answer);
        });
    }
}
