package io.tocsin.grafana;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code TOCSIN_GRAFANA_*}: checking the HMAC signature Grafana (12 and later) can put on webhook requests. */
@ConfigMapping(prefix = "tocsin.grafana")
public interface GrafanaConfig {

    /**
     * {@code TOCSIN_GRAFANA_WEBHOOK_SECRET}: the contact point's "HMAC Signature → Secret" (several, comma-separated,
     * while rotating). Set: every request on the webhook route must be signed with one of them. Unset: not checked.
     */
    Optional<String> webhookSecret();

    /**
     * {@code TOCSIN_GRAFANA_SIGNATURE_HEADER}: the contact point's "Header". Unset: {@code X-Grafana-Alerting-Signature}
     * (the name Grafana's form and documentation show) or {@code X-Grafana-Alert-Signature} (what Grafana's signer
     * uses when the field is left empty).
     */
    Optional<String> signatureHeader();

    /**
     * {@code TOCSIN_GRAFANA_TIMESTAMP_HEADER}: the contact point's "Timestamp header". Set: the request must carry
     * it, it is part of the signed text, and it must be within {@link #timestampTolerance()} of now (no replays).
     */
    Optional<String> timestampHeader();

    /** {@code TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE}: how far a signed timestamp may be from now. */
    @WithDefault("5m")
    Duration timestampTolerance();
}
