package io.tocsin.config;

import java.util.Locale;
import java.util.Set;

import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.Config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Every configuration variable of docs/configuration.md, checked whole: a value is parsed by its {@link Variable} as
 * it is read (this is a SmallRye {@link ConfigSourceInterceptor}, so a bad value is refused before any typed mapping
 * converts it, with a message naming the environment variable, e.g. {@code TOCSIN_CLOUDWATCH_DEFAULT_SEVERITY: 'urgent'
 * is not one of critical, high, medium, low}), and {@link #verify} reads every one at start-up, so that a variable no
 * code path of this function reads is checked too. {@link Settings} takes its typed values from the same parsers;
 * cross-variable rules (an end after a start, a key when PagerDuty is on) are there.
 */
@Priority(Priorities.APPLICATION + 200)
public class ConfigurationCheck implements ConfigSourceInterceptor {

    /** The functions of the jar, by their Funqy names (ConfigurationCheckTest keeps the two equal). */
    public static final Set<String> FUNCTIONS = Set.of("ingest", "acknowledge", "resolve", "incident", "incidents",
            "pagerduty-webhook", "escalation-sweep", "alertmanager", "rules", "evaluate", "maintenance", "heartbeat",
            "metrics", "dashboard", "daily-summary", "grafana", "tokens", "oncall", "oncall-feed");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
            Variable.byProperty(name).ifPresent(v -> v.getKey().parse(v.getValue(), value.getValue()));
        }
        return value;
    }

    /** Reads (and so checks) every variable that is set, including those no code path of this function reads. */
    public static void verify(Config config) {
        for (Variable<?> variable : Variable.values()) {
            if (variable != Variable.TOCSIN_RULES_THRESHOLDS_) {
                check(config, variable.property());
            }
        }
        String thresholds = Variable.TOCSIN_RULES_THRESHOLDS_.env();
        for (String name : config.getPropertyNames()) {
            String env = name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
            if (env.startsWith(thresholds) && env.length() > thresholds.length()) {
                String value = config.getConfigValue(name).getValue();
                if (value != null && !value.isBlank()) {
                    Variable.TOCSIN_RULES_THRESHOLDS_.parse(env, value);
                }
            }
        }
    }

    private static void check(Config config, String property) {
        String value = config.getConfigValue(property).getValue();
        if (value != null && !value.isBlank()) {
            Variable.byProperty(property).ifPresent(v -> v.getKey().parse(v.getValue(), value));
        }
    }
}
