package io.tocsin.cloudwatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code TOCSIN_CLOUDWATCH_*}: how CloudWatch alarms become alerts. */
@ConfigMapping(prefix = "tocsin.cloudwatch")
public interface CloudWatchConfig {

    /** Severity of an alarm whose description has no {@code tocsin:severity=<level>} marker. */
    @WithDefault("high")
    String defaultSeverity();

    /** INSUFFICIENT_DATA: {@code ignore} (logged and answered, nothing stored) or {@code alarm} (treated as ALARM). */
    @WithDefault("ignore")
    String insufficientData();
}
