package io.tocsin.grafana;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.quarkus.runtime.Startup;
import io.tocsin.api.ApiGateway;
import io.tocsin.api.Problem;
import io.tocsin.config.ConfigurationException;
import io.tocsin.config.Secret;
import io.tocsin.config.SecretStore;
import io.tocsin.notify.Texts;

/**
 * Grafana's webhook HMAC signature (Grafana docs, "Configure webhook notifications → HMAC signature"; grafana/alerting
 * {@code http/hmac.go}): the header holds the lower-case hex HMAC-SHA256, under the shared secret, of the raw body,
 * or of {@code <timestamp>:<body>} when a timestamp header is configured (Unix seconds). Checked only when
 * {@code TOCSIN_GRAFANA_WEBHOOK_SECRET} is set; any of several secrets may match (rotation); constant-time compare.
 */
@Startup
@Singleton
public class GrafanaSignature {

    /** The header Grafana's contact point form and documentation name. */
    static final String DOCUMENTED_HEADER = "x-grafana-alerting-signature";
    /** The header Grafana's signer (grafana/alerting http/hmac.go) uses when the form's field is left empty. */
    static final String SIGNER_DEFAULT_HEADER = "x-grafana-alert-signature";

    private final java.util.function.Supplier<List<Secret>> secrets;
    private final java.util.function.BooleanSupplier configured;
    private final java.util.function.BooleanSupplier refused;
    private final List<String> signatureHeaders;
    private final Optional<String> timestampHeader;
    private final Duration tolerance;
    private final Clock clock;

    /** With the secret(s) from {@code TOCSIN_GRAFANA_WEBHOOK_SECRET} or the secret it names (SecretStore). */
    @Inject
    public GrafanaSignature(GrafanaConfig config, Clock clock, SecretStore store) {
        this(config, clock, () -> store.list(SecretStore.Ref.GRAFANA_WEBHOOK_SECRET),
                () -> store.configured(SecretStore.Ref.GRAFANA_WEBHOOK_SECRET),
                () -> store.refused(SecretStore.Ref.GRAFANA_WEBHOOK_SECRET));
    }

    /** With the secret(s) of {@code config.webhookSecret()} only. */
    public GrafanaSignature(GrafanaConfig config, Clock clock) {
        this(config, clock, () -> fixed(config), () -> !fixed(config).isEmpty(), () -> false);
    }

    private static List<Secret> fixed(GrafanaConfig config) {
        return config.webhookSecret().map(v -> List.of(v.split(",")).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(Secret::new).toList()).orElse(List.of());
    }

    private GrafanaSignature(GrafanaConfig config, Clock clock, java.util.function.Supplier<List<Secret>> secrets,
            java.util.function.BooleanSupplier configured, java.util.function.BooleanSupplier refused) {
        this.secrets = secrets;
        this.configured = configured;
        this.refused = refused;
        this.signatureHeaders = config.signatureHeader().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> List.of(h.toLowerCase(Locale.ROOT)))
                .orElse(List.of(DOCUMENTED_HEADER, SIGNER_DEFAULT_HEADER));
        this.timestampHeader = config.timestampHeader().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT));
        this.tolerance = config.timestampTolerance();
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new ConfigurationException("TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE",
                    "must be a positive duration such as 5m, got " + tolerance);
        }
        this.clock = clock;
    }

    /**
     * A problem the request has whatever its signature (400): a timestamp header that is not Unix seconds (out of
     * {@link Instant}'s range included). Null otherwise, and when no secret or no timestamp header is configured.
     */
    public Problem malformed(ApiGateway.HttpRequest request) {
        if (!configured() || timestampHeader.isEmpty()) {
            return null;
        }
        String timestamp = request.header(timestampHeader.get());
        if (timestamp == null || timestamp.isBlank() || signedAt(timestamp.trim()).isPresent()) {
            return null;
        }
        return new Problem(timestampHeader.get(), "must be Unix seconds, got '" + Texts.log(timestamp.trim()) + "'");
    }

    /**
     * The receipt id of a signed request when signed requests carry a timestamp (the signature then covers the
     * timestamp, so that each notification has its own): a replay within the tolerance is found by it. Empty without
     * a timestamp header (Grafana then signs the body alone, the same for a repeated notification).
     */
    public Optional<String> receiptId(ApiGateway.HttpRequest request) {
        if (!configured() || timestampHeader.isEmpty()) {
            return Optional.empty();
        }
        for (String name : signatureHeaders) {
            String value = request.header(name);
            if (value != null && !value.isBlank()) {
                return Optional.of("grafana-hmac:" + value.trim().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> signedAt(String timestamp) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(timestamp)));
        } catch (NumberFormatException | java.time.DateTimeException notSeconds) {
            return Optional.empty();
        }
    }

    public boolean configured() {
        return configured.getAsBoolean();
    }

    /** Null when the request is signed as configured (or no secret is configured); otherwise what is wrong. */
    public Problem problem(ApiGateway.HttpRequest request) {
        if (!configured()) {
            return null;
        }
        String header = signatureHeaders.get(0);
        String signature = null;
        for (String name : signatureHeaders) {
            if (request.header(name) != null) {
                header = name;
                signature = request.header(name).trim();
                break;
            }
        }
        if (signature == null || signature.isEmpty()) {
            return new Problem(signatureHeaders.get(0), "is missing: TOCSIN_GRAFANA_WEBHOOK_SECRET is set, so "
                    + "requests must be signed (contact point → HMAC Signature)");
        }
        String timestamp = null;
        if (timestampHeader.isPresent()) {
            timestamp = request.header(timestampHeader.get());
            if (timestamp == null || timestamp.isBlank()) {
                return new Problem(timestampHeader.get(), "is missing (TOCSIN_GRAFANA_TIMESTAMP_HEADER is set)");
            }
            timestamp = timestamp.trim();
            Optional<Instant> parsed = signedAt(timestamp);
            if (parsed.isEmpty()) {
                return new Problem(timestampHeader.get(), "must be Unix seconds, got '" + Texts.log(timestamp) + "'");
            }
            Instant signedAt = parsed.get();
            Instant now = clock.instant();
            if (signedAt.isBefore(now.minus(tolerance)) || signedAt.isAfter(now.plus(tolerance))) {
                return new Problem(timestampHeader.get(), "is " + signedAt + ", more than " + tolerance.toSeconds()
                        + " s from now (" + now + "; TOCSIN_GRAFANA_TIMESTAMP_TOLERANCE)");
            }
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return new Problem(header, "is not a hex HMAC-SHA256");
        }
        boolean matched = matches(secrets.get(), timestamp, request.body(), given);
        if (!matched && refused.getAsBoolean()) {
            // perhaps the secret was rotated: once more with the secret as it is now (read at most every 30 s)
            matched = matches(secrets.get(), timestamp, request.body(), given);
        }
        return matched ? null : new Problem(header, "does not match the body");
    }

    private static boolean matches(List<Secret> secrets, String timestamp, byte[] body, byte[] given) {
        boolean matched = false;
        for (Secret secret : secrets) {
            // no early exit: every secret is compared, in constant time
            matched |= MessageDigest.isEqual(sign(secret, timestamp, body), given);
        }
        return matched;
    }

    /** The raw signature Grafana sends for {@code body} (timestamp null: none configured). */
    public static byte[] sign(Secret secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            if (timestamp != null) {
                mac.update((timestamp + ":").getBytes(StandardCharsets.UTF_8));
            }
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
