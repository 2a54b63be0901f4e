package io.tocsin.rules;

import java.util.Map;

import io.smallrye.config.ConfigMapping;

/**
 * {@code tocsin.rules.thresholds.<rule>=<value>} overrides a numeric rule's threshold (e.g.
 * {@code TOCSIN_RULES_THRESHOLDS_DISK_USAGE_HIGH=0.9}); the defaults are the catalogue's.
 */
@ConfigMapping(prefix = "tocsin.rules")
public interface RulesConfig {

    Map<String, Double> thresholds();
}
