package io.tocsin.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** {@code PAGERDUTY_ENABLED}, {@code PAGERDUTY_INTEGRATION_KEY}, {@code PAGERDUTY_API_KEY}; checked by {@link Settings}. */
@ConfigMapping(prefix = "pagerduty")
public interface PagerDutyConfig {

    /** Unset: PagerDuty is on exactly when an integration key is configured. */
    Optional<String> enabled();

    Optional<String> integrationKey();

    Optional<String> apiKey();

    /** {@code PAGERDUTY_INTEGRATION_KEY_SECRET_NAME}: the Secrets Manager secret holding it ({@link SecretStore}). */
    Optional<String> integrationKeySecretName();

    /** {@code PAGERDUTY_API_KEY_SECRET_NAME} */
    Optional<String> apiKeySecretName();

    /** {@code PAGERDUTY_WEBHOOK_SECRET_NAME} */
    Optional<String> webhookSecretName();

    /** {@code PAGERDUTY_WEBHOOK_SECRET}: the v3 webhook subscription's signing secret(s), comma-separated while rotating. */
    Optional<String> webhookSecret();
}
