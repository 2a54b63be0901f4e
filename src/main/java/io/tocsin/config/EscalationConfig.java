package io.tocsin.config;

import java.util.Optional;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code TOCSIN_ESCALATION_*}: how far and for what escalation goes. The timeout is ALERT_ESCALATION_TIMEOUT. */
@ConfigMapping(prefix = "tocsin.escalation")
public interface EscalationConfig {

    /** The highest level: level 2 at the timeout, level 3 at twice the timeout, … up to this. */
    @WithDefault("3")
    int maxLevel();

    /** {@code From} header of PagerDuty REST updates: the email of a PagerDuty user (TOCSIN_ESCALATION_FROM). */
    Optional<String> from();

    /** Who is emailed when there is no PagerDuty API key; default the summary recipients. */
    Optional<List<String>> recipients();
}
