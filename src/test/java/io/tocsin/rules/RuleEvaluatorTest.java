package io.tocsin.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.tocsin.alert.AlertRule;

class RuleEvaluatorTest {

    private final RuleEvaluator evaluator = new RuleEvaluator(Map.of());

    private List<AlertRule> fired(String metric, double value) {
        return evaluator.evaluate(Map.of(metric, value)).stream().map(RuleEvaluator.Firing::rule).toList();
    }

    /** At, just below and just above every threshold: strictly above fires. */
    @TestFactory
    Stream<DynamicTest> everyThresholdAtJustBelowAndJustAbove() {
        return Stream.of(
                row("error_rate", 0.05, List.of(AlertRule.ERROR_RATE_ELEVATED), List.of(AlertRule.ERROR_RATE_ELEVATED),
                        List.of(AlertRule.ERROR_RATE_CRITICAL)),
                row("error_rate", 0.01, List.of(), List.of(), List.of(AlertRule.ERROR_RATE_ELEVATED)),
                row("api_p99_ms", 2000, List.of(), List.of(), List.of(AlertRule.API_LATENCY_CRITICAL)),
                row("disk_usage", 0.85, List.of(), List.of(), List.of(AlertRule.DISK_USAGE_HIGH)),
                row("memory_usage", 0.90, List.of(), List.of(), List.of(AlertRule.MEMORY_USAGE_HIGH)),
                row("slow_query_ms", 100, List.of(), List.of(), List.of(AlertRule.SLOW_QUERIES)));
    }

    private DynamicTest row(String metric, double threshold, List<AlertRule> justBelow, List<AlertRule> at,
            List<AlertRule> justAbove) {
        double step = threshold * 1e-6;
        return DynamicTest.dynamicTest(metric + " around " + threshold, () -> {
            assertEquals(justBelow, fired(metric, threshold - step), "just below");
            assertEquals(at, fired(metric, threshold), "at");
            assertEquals(justAbove, fired(metric, threshold + step), "just above");
        });
    }

    @Test
    void aSevenPercentErrorRateFiresTheCriticalRuleOnly() {
        assertEquals(List.of(AlertRule.ERROR_RATE_CRITICAL), fired("error_rate", 0.07));
    }

    @Test
    void eachFamilyFiresOnItsOwn() {
        var firing = evaluator.evaluate(Map.of("error_rate", 0.02, "api_p99_ms", 2300.0, "disk_usage", 0.5));
        assertEquals(List.of(AlertRule.ERROR_RATE_ELEVATED, AlertRule.API_LATENCY_CRITICAL),
                firing.stream().map(RuleEvaluator.Firing::rule).toList());
    }

    @Test
    void configuredThresholdsReplaceTheCatalogues() {
        RuleEvaluator tuned = new RuleEvaluator(Map.of("disk_usage_high", 0.95));
        assertEquals(0.95, tuned.threshold(AlertRule.DISK_USAGE_HIGH));
        assertEquals(List.of(), tuned.evaluate(Map.of("disk_usage", 0.9)));
        assertEquals(AlertRule.DISK_USAGE_HIGH, tuned.evaluate(Map.of("disk_usage", 0.96)).get(0).rule());
    }
}
