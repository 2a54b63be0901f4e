package io.tocsin.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tocsin.alert.AlertRule;

/**
 * Which numeric rules a set of metric samples breaks. Rules on the same metric form a family (error_rate: 5 % critical,
 * 1 % medium); per family only the most severe broken rule fires. A rule breaks when the value is strictly above its
 * threshold.
 */
@Singleton
public class RuleEvaluator {

    /** A rule that fired, with the value that broke it and the threshold in force. */
    public record Firing(AlertRule rule, String metric, double value, double threshold) {
    }

    private final Map<String, Double> overrides;

    @Inject
    public RuleEvaluator(RulesConfig config) {
        this(config.thresholds());
    }

    public RuleEvaluator(Map<String, Double> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    public double threshold(AlertRule rule) {
        return Optional.ofNullable(overrides.get(rule.ruleName())).orElseGet(() -> rule.threshold().orElseThrow());
    }

    /** The metric names that have rules, each with its rules, most severe first. */
    public static Map<String, List<AlertRule>> families() {
        Map<String, List<AlertRule>> families = new LinkedHashMap<>();
        for (AlertRule rule : AlertRule.values()) {
            rule.metric().ifPresent(metric -> families.computeIfAbsent(metric, m -> new ArrayList<>()).add(rule));
        }
        families.values().forEach(list -> list.sort(Comparator.comparing(AlertRule::severity)));
        return families;
    }

    public List<Firing> evaluate(Map<String, Double> samples) {
        List<Firing> firing = new ArrayList<>();
        families().forEach((metric, rules) -> {
            Double value = samples.get(metric);
            if (value == null) {
                return;
            }
            for (AlertRule rule : rules) {
                double threshold = threshold(rule);
                if (value > threshold) {
                    firing.add(new Firing(rule, metric, value, threshold));
                    return;
                }
            }
        });
        return firing;
    }
}
